package io.vmqtt;

import java.util.Objects;

/**
 * The last-will message the broker publishes when the connection drops without DISCONNECT.
 *
 * @param topic a valid topic name (no wildcards)
 * @param message the will payload
 * @param qos the QoS of the will
 * @param retain whether the will is retained
 */
public record Will(String topic, byte[] message, QoS qos, boolean retain) {
  /**
   * @throws IllegalArgumentException when the topic is not a valid topic name or the message is
   *     longer than 65,535 bytes
   */
  public Will {
    Topics.requireValidName(topic, "will topic");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(qos, "qos");
    if (message.length > 65535) {
      throw new IllegalArgumentException(
          "will message must be at most 65535 bytes, was " + message.length);
    }
    message = message.clone();
  }

  @Override
  public byte[] message() {
    return message.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Will w
        && topic.equals(w.topic)
        && java.util.Arrays.equals(message, w.message)
        && qos == w.qos
        && retain == w.retain;
  }

  @Override
  public int hashCode() {
    return Objects.hash(topic, java.util.Arrays.hashCode(message), qos, retain);
  }

  @Override
  public String toString() {
    return "Will[topic="
        + topic
        + ", message="
        + message.length
        + " bytes, qos="
        + qos.value()
        + ", retain="
        + retain
        + "]";
  }
}
