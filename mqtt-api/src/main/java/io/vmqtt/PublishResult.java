package io.vmqtt;

import java.util.Objects;

/**
 * The outcome of a completed {@link MqttClient#publish} flow: the message was handed to the writer
 * (QoS 0), acknowledged with PUBACK (QoS 1) or PUBCOMP (QoS 2). Immutable and thread-safe.
 *
 * <pre>{@code
 * PublishResult r = client.publish("a/b", payload, QoS.AT_LEAST_ONCE, false);
 * log.debug("published with packet id {}", r.packetId()); // to match the packet trace
 * }</pre>
 *
 * <p>Made by the engine; tests that stand in for a client make one with {@link #of(QoS, int)}.
 */
public final class PublishResult {
  private static final PublishResult QOS_0 =
      new PublishResult(QoS.AT_MOST_ONCE, 0, ReasonCode.SUCCESS);

  private final QoS qos;
  private final int packetId;
  private final ReasonCode reasonCode;

  private PublishResult(QoS qos, int packetId, ReasonCode reasonCode) {
    this.qos = qos;
    this.packetId = packetId;
    this.reasonCode = reasonCode;
  }

  /**
   * A successful flow: reason code {@link ReasonCode#SUCCESS}.
   *
   * @param packetId the packet identifier the flow used: 0 for QoS 0, else 1..65535
   * @throws IllegalArgumentException when the packet id does not fit the QoS
   * @throws NullPointerException when qos is null
   */
  public static PublishResult of(QoS qos, int packetId) {
    requireFits(qos, packetId);
    return qos == QoS.AT_MOST_ONCE ? QOS_0 : new PublishResult(qos, packetId, ReasonCode.SUCCESS);
  }

  /**
   * A builder of a result; the reason code is {@link ReasonCode#SUCCESS} until set.
   *
   * @param packetId the packet identifier the flow used: 0 for QoS 0, else 1..65535
   * @throws IllegalArgumentException when the packet id does not fit the QoS
   * @throws NullPointerException when qos is null
   */
  public static Builder builder(QoS qos, int packetId) {
    return new Builder(qos, packetId);
  }

  private static void requireFits(QoS qos, int packetId) {
    Objects.requireNonNull(qos, "qos");
    if (qos == QoS.AT_MOST_ONCE ? packetId != 0 : packetId < 1 || packetId > 65535) {
      throw new IllegalArgumentException(
          "packetId must be "
              + (qos == QoS.AT_MOST_ONCE ? "0" : "1..65535")
              + " for QoS "
              + qos.value()
              + ", was "
              + packetId);
    }
  }

  /**
   * The QoS the message was published with; {@link QoS#AT_LEAST_ONCE} for a QoS 2 publish that the
   * broker acknowledged with PUBACK, as a broker without QoS 2 does (RabbitMQ 3.x downgrades QoS 2
   * to 1): it took the message at least once, not exactly once.
   */
  public QoS qos() {
    return qos;
  }

  /**
   * The packet identifier the flow used on the wire, 0 for QoS 0. For diagnostics, such as matching
   * a publish to the packet trace ({@code io.vmqtt.trace}): once the flow is complete the broker
   * and the client may reuse the identifier for another message.
   */
  public int packetId() {
    return packetId;
  }

  /**
   * What the broker answered: {@link ReasonCode#SUCCESS} with MQTT 3.1.1 (whose acknowledgements
   * carry no code) and for QoS 0; with MQTT 5 also {@link ReasonCode#NO_MATCHING_SUBSCRIBERS}. An
   * error code is never returned here: the publish throws instead.
   */
  public ReasonCode reasonCode() {
    return reasonCode;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PublishResult r
        && qos == r.qos
        && packetId == r.packetId
        && reasonCode == r.reasonCode;
  }

  @Override
  public int hashCode() {
    return Objects.hash(qos, packetId, reasonCode);
  }

  /** E.g. {@code PublishResult[qos=1, packetId=7, reasonCode=SUCCESS]}. */
  @Override
  public String toString() {
    return "PublishResult[qos="
        + qos.value()
        + ", packetId="
        + packetId
        + ", reasonCode="
        + reasonCode
        + "]";
  }

  /** Builds a {@link PublishResult}; not thread-safe. */
  public static final class Builder {
    private final QoS qos;
    private final int packetId;
    private ReasonCode reasonCode = ReasonCode.SUCCESS;

    private Builder(QoS qos, int packetId) {
      requireFits(qos, packetId);
      this.qos = qos;
      this.packetId = packetId;
    }

    /**
     * The broker's reason code: a success code of PUBACK (QoS 1) or PUBREC (QoS 2), that is {@link
     * ReasonCode#SUCCESS} or {@link ReasonCode#NO_MATCHING_SUBSCRIBERS}; only {@link
     * ReasonCode#SUCCESS} for QoS 0, which has no acknowledgement.
     *
     * @throws IllegalArgumentException when the code is not one of those
     */
    public Builder reasonCode(ReasonCode reasonCode) {
      Objects.requireNonNull(reasonCode, "reasonCode");
      boolean fits =
          qos == QoS.AT_MOST_ONCE
              ? reasonCode == ReasonCode.SUCCESS
              : !reasonCode.isError()
                  && ReasonCode.ofPuback(reasonCode.value()).orElse(null) == reasonCode;
      if (!fits) {
        throw new IllegalArgumentException(
            "reasonCode of a completed QoS "
                + qos.value()
                + " publish must be "
                + (qos == QoS.AT_MOST_ONCE ? "SUCCESS" : "SUCCESS or NO_MATCHING_SUBSCRIBERS")
                + ", was "
                + reasonCode);
      }
      this.reasonCode = reasonCode;
      return this;
    }

    /** The result. */
    public PublishResult build() {
      if (qos == QoS.AT_MOST_ONCE) {
        return QOS_0;
      }
      return new PublishResult(qos, packetId, reasonCode);
    }
  }
}
