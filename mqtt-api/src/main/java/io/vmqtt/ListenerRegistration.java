package io.vmqtt;

/**
 * A message listener added to a client, as {@link MqttClient#addMessageListener} returns it: the
 * way to remove it again. {@link #close()} removes it too, so a try-with-resources block can scope
 * a listener.
 *
 * <pre>{@code
 * try (ListenerRegistration r = client.addMessageListener("replies/42", replies::add)) {
 *   client.publish("requests/42", request);
 *   ...
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public interface ListenerRegistration extends AutoCloseable {
  /** What the listener selects. */
  MessageSelector selector();

  /** The listener. */
  MessageListener listener();

  /** Whether it is still added: not removed, and the client not closed. */
  boolean isActive();

  /**
   * Removes the listener: messages that arrive from now on are routed without it. Messages already
   * queued for it are still delivered to it, in order. Idempotent; the client's subscriptions are
   * not changed.
   */
  void remove();

  /** {@link #remove()}. */
  @Override
  void close();
}
