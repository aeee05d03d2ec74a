package io.vmqtt.vthreads.internal;

import io.vmqtt.Message;
import io.vmqtt.QoS;
import io.vmqtt.internal.api.ApiAccess;
import io.vmqtt.vthreads.internal.codec.PublishPacket;

/**
 * What the engine needs to acknowledge a received QoS 1/2 message, carried by the {@link Message}
 * itself (through {@link ApiAccess}) and never shown to the application: the packet identifier it
 * arrived with, and the session epoch it arrived in (an acknowledgement for an older session would
 * be a wrong PUBACK). QoS 0 messages carry none.
 *
 * @param packetId the packet identifier of the PUBLISH, 1..65535
 * @param epoch the session epoch the message arrived in ({@code Session.epoch()})
 */
record InboundReceipt(int packetId, long epoch) {
  private static final ApiAccess.MessageAccess MESSAGES = ApiAccess.messages();

  /**
   * The message a PUBLISH delivers, with its receipt when it has QoS 1 or 2. The payload is handed
   * over without a copy. Runs on the reader thread.
   */
  static Message message(PublishPacket p, long epoch) {
    return MESSAGES.newMessage(
        p.topic(),
        p.payload(),
        p.qos(),
        p.retain(),
        p.dup(),
        p.qos() == QoS.AT_MOST_ONCE ? null : new InboundReceipt(p.packetId(), epoch));
  }

  /**
   * The receipt of a message {@link #message} made.
   *
   * @throws IllegalArgumentException when the message carries none: QoS 0, or made by the API
   */
  static InboundReceipt of(Message m) {
    if (MESSAGES.receipt(m) instanceof InboundReceipt r) {
      return r;
    }
    throw new IllegalArgumentException(m + " was not received by this engine at QoS 1 or 2");
  }
}
