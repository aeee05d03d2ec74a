package io.vmqtt.vthreads.internal;

import io.vmqtt.vthreads.internal.codec.Properties;
import io.vmqtt.vthreads.internal.codec.PublishPacket;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MQTT 5: received messages whose Payload Format Indicator says UTF-8 and whose payload is not
 * (section 3.3.2.3.2: "The receiver MAY validate that the Payload is of the format indicated, and
 * if it is not send a PUBACK, PUBREC, or DISCONNECT with Reason Code of 0x99 (Payload format
 * invalid)"). This client validates, and such a message is not delivered: a QoS 1/2 one is
 * acknowledged with PUBACK or PUBREC 0x99, which ends its flow at the broker; a QoS 0 one, which
 * has no acknowledgement to carry the code, is dropped and counted. Neither ends the connection:
 * the message is another client's fault, and with a kept session a DISCONNECT 0x99 would only have
 * the broker send it again after the reconnection.
 *
 * <p>Thread-safe: runs on the reader; the counter and the log are its only state.
 */
final class InvalidPayload {
  private static final Logger LOG = LoggerFactory.getLogger(InvalidPayload.class);

  /** Reason code 0x99, Payload format invalid (MQTT 5.0 Table 2-6). */
  static final int PAYLOAD_FORMAT_INVALID = 0x99;

  /** The Reason String of the refusing acknowledgement. */
  static final Properties REASON =
      Properties.builder()
          .reasonString(
              "the payload is not well-formed UTF-8, though its Payload Format Indicator is 1")
          .build();

  private final String clientId;
  private final AtomicLong count = new AtomicLong();

  InvalidPayload(String clientId) {
    this.clientId = clientId;
  }

  /** Whether {@code p} says its payload is UTF-8 (indicator 1) and it is not well-formed UTF-8. */
  static boolean isDeclaredUtf8ButNot(PublishPacket p) {
    if (p.properties().payloadFormatIndicator().orElse(0) != 1) {
      return false;
    }
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(p.payload()));
      return false;
    } catch (CharacterCodingException e) {
      return true;
    }
  }

  /** A QoS 1/2 message was refused with 0x99. */
  void refused(PublishPacket p) {
    String ack = p.qos() == io.vmqtt.QoS.AT_LEAST_ONCE ? "PUBACK" : "PUBREC";
    log(p, "refused with " + ack + " 0x99 (Payload format invalid)");
  }

  /** A QoS 0 message was dropped. */
  void dropped(PublishPacket p) {
    log(p, "dropped");
  }

  private void log(PublishPacket p, String what) {
    long n = count.incrementAndGet();
    if (n == 1 || n % 1_000 == 0) {
      LOG.warn(
          "client {}: a QoS {} message to '{}' says its payload is UTF-8 (Payload Format Indicator"
              + " 1) but it is not (section 3.3.2.3.2); {} and not delivered ({} such so far)",
          clientId,
          p.qos().value(),
          p.topic(),
          what,
          n);
    }
  }
}
