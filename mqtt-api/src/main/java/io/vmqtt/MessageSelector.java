package io.vmqtt;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * Which received messages a {@link MessageListener} (or a {@link MqttClient#messages stream})
 * takes: a topic filter, an optional condition on the message, a priority, and whether the listener
 * takes the messages it selects for itself alone.
 *
 * <pre>{@code
 * // Zerynth's on(PUBLISH, print_cool_stuff, is_cool) and on(PUBLISH, print_generic_stuff):
 * client.addMessageListener(
 *     MessageSelector.topic("#").when(m -> m.topic().equals("cool")).priority(1).exclusive(),
 *     m -> System.out.println("cool: " + m.payloadAsString()));
 * client.addMessageListener("#", m -> System.out.println("not cool: " + m.payloadAsString()));
 * }</pre>
 *
 * <p><b>Routing.</b> For each received message, the client goes through its listeners from the
 * highest priority to the lowest (equal priorities in the order they were added). Every listener
 * whose filter matches the topic and whose condition holds gets the message, until one that is
 * {@link #exclusive()} has got it: the listeners after it do not. A message that no listener takes
 * goes to {@link MqttClient#deliverMessage()} and {@link MqttClient#pollMessage()}. Priority and
 * exclusivity are decided before any listener runs: a listener cannot stop the others by what it
 * returns or throws, because listeners run in parallel, and a verdict at run time would make every
 * message wait for the listeners of higher priority before the next could start.
 *
 * <p><b>The condition</b> runs on the client's reader thread, for each message whose topic the
 * filter matches, before the message is queued for any listener: it must be quick, must not block
 * and must not call the client (a {@code byte[]} comparison, a look at the topic). One that throws
 * counts as false, and is logged.
 *
 * <p>Filters follow the MQTT rules for matching: {@code +} matches one level, {@code #} any number
 * of levels including the parent ({@code a/#} matches {@code a}), and a filter starting with a
 * wildcard does not match topics starting with {@code $} [MQTT-4.7.2-1]. A shared subscription's
 * filter ({@code $share/group/filter}) selects what the filter after its prefix matches: the
 * group's messages arrive with their own topics. The same matching decides the {@code topics}
 * defaults of {@link MqttConfig} ({@link Topics#matches}).
 *
 * <p>Immutable and thread-safe; each method returns a new selector.
 */
public final class MessageSelector {
  private static final Predicate<Message> ANY = m -> true;

  private final String topicFilter;
  private final Predicate<? super Message> condition;
  private final int priority;
  private final boolean exclusive;

  private MessageSelector(
      String topicFilter, Predicate<? super Message> condition, int priority, boolean exclusive) {
    this.topicFilter = topicFilter;
    this.condition = condition;
    this.priority = priority;
    this.exclusive = exclusive;
  }

  /**
   * Selects the messages whose topic {@code topicFilter} matches: no condition, priority 0, not
   * exclusive.
   *
   * @throws IllegalArgumentException when it is not a valid topic filter
   * @throws NullPointerException when it is null
   */
  public static MessageSelector topic(String topicFilter) {
    return new MessageSelector(
        Topics.requireValidFilter(topicFilter, "topicFilter"), ANY, 0, false);
  }

  /**
   * The same, selecting only messages for which {@code condition} holds as well; replaces a
   * condition set before. It runs on the reader thread: see the class comment.
   *
   * @throws NullPointerException when it is null
   */
  public MessageSelector when(Predicate<? super Message> condition) {
    return new MessageSelector(
        topicFilter, Objects.requireNonNull(condition, "condition"), priority, exclusive);
  }

  /** The same, with this priority: higher is considered first; the default is 0. */
  public MessageSelector priority(int priority) {
    return new MessageSelector(topicFilter, condition, priority, exclusive);
  }

  /**
   * The same, exclusive: a message this selector takes goes to no listener of lower (or equal, but
   * later added) priority, nor to {@code deliverMessage}.
   */
  public MessageSelector exclusive() {
    return new MessageSelector(topicFilter, condition, priority, true);
  }

  /** The topic filter. */
  public String topicFilter() {
    return topicFilter;
  }

  /** The condition; one that always holds when none was set. */
  public Predicate<? super Message> condition() {
    return condition;
  }

  /** The priority; 0 unless set. */
  public int priority() {
    return priority;
  }

  /** Whether messages it takes go to its listener alone. */
  public boolean isExclusive() {
    return exclusive;
  }

  /** Whether the filter matches the topic name ({@link Topics#matches}). */
  public boolean matchesTopic(String topic) {
    return Topics.matches(topicFilter, topic);
  }

  /** E.g. {@code MessageSelector[a/#, priority 10, exclusive, with a condition]}. */
  @Override
  public String toString() {
    return "MessageSelector["
        + topicFilter
        + ", priority "
        + priority
        + (exclusive ? ", exclusive" : "")
        + (condition == ANY ? "" : ", with a condition")
        + "]";
  }
}
