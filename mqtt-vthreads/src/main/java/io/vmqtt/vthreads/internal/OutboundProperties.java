package io.vmqtt.vthreads.internal;

import io.vmqtt.Publish;
import io.vmqtt.UserProperty;
import io.vmqtt.Will;
import io.vmqtt.vthreads.internal.codec.Properties;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The API's MQTT 5 publish and will properties as the codec's. Stateless and thread-safe. */
final class OutboundProperties {
  private OutboundProperties() {}

  /** The PUBLISH properties of {@code message} (section 3.3.2.3), in the codec's terms. */
  static Properties of(Publish message) {
    return builder(message).build();
  }

  /** As {@link #of}, still open: a property set again replaces the message's. */
  static Properties.Builder builder(Publish message) {
    Properties.Builder p = Properties.builder();
    application(
        p,
        message.payloadUtf8(),
        message.messageExpiryInterval(),
        message.contentType(),
        message.responseTopic(),
        message.correlationData(),
        message.userProperties());
    return p;
  }

  /**
   * The Will Properties of {@code will} (section 3.1.3.2): the Will Delay Interval and the
   * properties the will message is published with.
   */
  static Properties of(Will will) {
    Properties.Builder p = Properties.builder();
    will.delayInterval().ifPresent(d -> p.willDelayInterval(d.toSeconds()));
    application(
        p,
        will.payloadUtf8(),
        will.messageExpiryInterval(),
        will.contentType(),
        will.responseTopic(),
        will.correlationData(),
        will.userProperties());
    return p.build();
  }

  /** The properties a PUBLISH and a will message have in common. */
  private static void application(
      Properties.Builder p,
      boolean payloadUtf8,
      Optional<Duration> messageExpiryInterval,
      Optional<String> contentType,
      Optional<String> responseTopic,
      Optional<byte[]> correlationData,
      List<UserProperty> userProperties) {
    if (payloadUtf8) {
      p.payloadFormatIndicator(1);
    }
    messageExpiryInterval.ifPresent(d -> p.messageExpiryInterval(d.toSeconds()));
    contentType.ifPresent(p::contentType);
    responseTopic.ifPresent(p::responseTopic);
    correlationData.ifPresent(p::correlationData);
    userProperties.forEach(u -> p.userProperty(u.name(), u.value()));
  }
}
