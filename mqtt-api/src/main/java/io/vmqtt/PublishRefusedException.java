package io.vmqtt;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * MQTT 5: the broker answered a QoS 1 or 2 publish with an error reason code (0x80 or above) in
 * PUBACK or PUBREC, e.g. 0x87 Not authorized, 0x97 Quota exceeded. The message was not accepted;
 * the flow is over (no PUBREL follows an error PUBREC, section 4.3.3) and its in-flight slot is
 * free. Thrown by {@link MqttClient#publish}; the message names the topic, the code and the
 * broker's reason string.
 *
 * <pre>{@code
 * try {
 *   client.publish("a/b", payload, QoS.AT_LEAST_ONCE, false);
 * } catch (PublishRefusedException e) {
 *   log.warn("refused: 0x{} {}", Integer.toHexString(e.reasonCode()), e.reasonString().orElse(""));
 * }
 * }</pre>
 */
public class PublishRefusedException extends MqttException {
  private static final long serialVersionUID = 1L;

  private final int reasonCode;
  private final String reasonString;
  private final List<UserProperty> userProperties;

  /**
   * @param reasonCode the reason code of PUBACK or PUBREC, 0x80..0xFF
   * @param reasonString the broker's Reason String, or null when it sent none
   * @param userProperties the User Properties of the acknowledgement, in order
   */
  public PublishRefusedException(
      String message, int reasonCode, String reasonString, List<UserProperty> userProperties) {
    super(message);
    if (reasonCode < 0x80 || reasonCode > 0xFF) {
      throw new IllegalArgumentException(
          "reasonCode must be an error code 0x80..0xFF, was " + reasonCode);
    }
    this.reasonCode = reasonCode;
    this.reasonString = reasonString;
    this.userProperties = List.copyOf(Objects.requireNonNull(userProperties, "userProperties"));
  }

  /** The reason code of the PUBACK or PUBREC, 0x80 or above. */
  public int reasonCode() {
    return reasonCode;
  }

  /** The broker's Reason String, when it sent one. */
  public Optional<String> reasonString() {
    return Optional.ofNullable(reasonString);
  }

  /** The User Properties of the acknowledgement, in the order they came; possibly empty. */
  public List<UserProperty> userProperties() {
    return userProperties;
  }
}
