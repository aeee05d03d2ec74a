package io.vmqtt.vthreads.internal.codec;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The client's Topic Aliases on one MQTT 5 connection (section 3.3.2.3.4), applied as PUBLISH
 * packets are encoded: the first PUBLISH to a topic carries the topic name and a new alias, the
 * next ones an empty topic name and the alias. Encoding order is wire order, so the packet that
 * sets an alias always precedes those that use it.
 *
 * <p>Which topics hold an alias: the most recently published ones. With all aliases taken, a new
 * topic takes the alias of the least recently published topic (sent again with its topic name,
 * which remaps it). A program that publishes to a fixed set of topics no larger than the aliases
 * sends each topic name once per connection; one that cycles through more topics than aliases gains
 * nothing (each PUBLISH then carries its topic and 3 bytes of alias).
 *
 * <p>Aliases are never above the server's Topic Alias Maximum [MQTT-3.2.2-17] [MQTT-3.3.2-9], never
 * 0 [MQTT-3.3.2-8], and live as long as the connection: a new connection has a new table, so a
 * PUBLISH resent after a reconnection carries its topic name [MQTT-3.3.2-7].
 *
 * <p>Not thread-safe: used by whoever encodes for the connection, which the writer makes one thread
 * at a time (it owns the output while encoding).
 */
final class OutboundTopicAliases {
  private final int maximum;

  /** Alias by topic, least recently used first. */
  private final LinkedHashMap<String, Integer> aliases = new LinkedHashMap<>(16, 0.75f, true);

  /** The highest alias handed out so far. */
  private int highest;

  /**
   * @param maximum how many aliases may be used: the configured number, bounded by the server's
   *     Topic Alias Maximum; at least 1
   */
  OutboundTopicAliases(int maximum) {
    if (maximum < 1 || maximum > 65_535) {
      throw new IllegalArgumentException("maximum must be in 1..65535, was " + maximum);
    }
    this.maximum = maximum;
  }

  /** How {@code p} is to be sent, with its alias; {@link Use#commit()} once it was encoded. */
  Use use(PublishPacket p) {
    String topic = p.topic();
    Integer known = aliases.get(topic); // marks it most recently used
    if (known != null) {
      return new Use(withAlias(p, "", known), null, known, null);
    }
    int alias;
    String evicted = null;
    if (highest < maximum) {
      alias = highest + 1;
    } else {
      Iterator<Map.Entry<String, Integer>> eldest = aliases.entrySet().iterator();
      Map.Entry<String, Integer> e = eldest.next();
      evicted = e.getKey();
      alias = e.getValue();
    }
    return new Use(withAlias(p, topic, alias), topic, alias, evicted);
  }

  private static PublishPacket withAlias(PublishPacket p, String topic, int alias) {
    return new PublishPacket(
        topic,
        p.payload(),
        p.qos(),
        p.retain(),
        p.dup(),
        p.packetId(),
        p.properties().toBuilder().topicAlias(alias).build());
  }

  /** The number of topics that hold an alias. */
  int size() {
    return aliases.size();
  }

  /**
   * One PUBLISH as sent.
   *
   * @param packet the packet to encode in place of the original
   * @param mapped the topic this packet maps to {@code alias}, or null when it uses a mapping
   * @param evicted the topic whose alias it takes, or null
   */
  final class Use {
    final PublishPacket packet;
    private final String mapped;
    private final int alias;
    private final String evicted;

    private Use(PublishPacket packet, String mapped, int alias, String evicted) {
      this.packet = packet;
      this.mapped = mapped;
      this.alias = alias;
      this.evicted = evicted;
    }

    /** The packet was encoded: a new mapping is in force from now on. */
    void commit() {
      if (mapped == null) {
        return;
      }
      if (evicted != null) {
        aliases.remove(evicted);
      } else {
        highest = alias;
      }
      aliases.put(mapped, alias);
    }
  }
}
