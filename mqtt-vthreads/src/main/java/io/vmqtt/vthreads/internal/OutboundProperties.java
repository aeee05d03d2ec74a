package io.vmqtt.vthreads.internal;

import io.vmqtt.Publish;
import io.vmqtt.vthreads.internal.codec.Properties;

/** The API's MQTT 5 publish properties as the codec's. Stateless and thread-safe. */
final class OutboundProperties {
  private OutboundProperties() {}

  /** The PUBLISH properties of {@code message} (section 3.3.2.3), in the codec's terms. */
  static Properties of(Publish message) {
    return builder(message).build();
  }

  /** As {@link #of}, still open: a property set again replaces the message's. */
  static Properties.Builder builder(Publish message) {
    Properties.Builder p = Properties.builder();
    if (message.payloadUtf8()) {
      p.payloadFormatIndicator(1);
    }
    message.messageExpiryInterval().ifPresent(d -> p.messageExpiryInterval(d.toSeconds()));
    message.contentType().ifPresent(p::contentType);
    message.responseTopic().ifPresent(p::responseTopic);
    message.correlationData().ifPresent(p::correlationData);
    message.userProperties().forEach(u -> p.userProperty(u.name(), u.value()));
    return p;
  }
}
