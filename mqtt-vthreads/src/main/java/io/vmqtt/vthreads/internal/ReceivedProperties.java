package io.vmqtt.vthreads.internal;

import io.vmqtt.Connack;
import io.vmqtt.QoS;
import io.vmqtt.UserProperty;
import io.vmqtt.vthreads.internal.codec.ConnackPacket;
import io.vmqtt.vthreads.internal.codec.Properties;
import io.vmqtt.vthreads.internal.codec.ProtocolLevel;
import java.util.ArrayList;
import java.util.List;

/**
 * The codec's {@link Properties} of a received packet as the API's values. Stateless and
 * thread-safe.
 */
final class ReceivedProperties {
  private ReceivedProperties() {}

  /**
   * The API's CONNACK: with MQTT 3.1/3.1.1 its return code, with MQTT 5 its reason code and every
   * property. A refusal has no session [MQTT-3.2.2-4] [MQTT-3.2.2-6]: a broker that says otherwise
   * is not believed.
   */
  static Connack connack(ConnackPacket ack, ProtocolLevel level) {
    boolean sessionPresent = ack.returnCode() == 0 && ack.sessionPresent();
    if (level != ProtocolLevel.MQTT_5) {
      return Connack.ofMqtt3(ack.returnCode(), sessionPresent);
    }
    Properties p = ack.properties();
    Connack.Builder b = Connack.mqtt5(ack.returnCode(), sessionPresent);
    p.sessionExpiryInterval().ifPresent(b::sessionExpiryInterval);
    p.receiveMaximum().ifPresent(b::receiveMaximum);
    p.maximumQos().ifPresent(q -> b.maximumQos(QoS.of(q)));
    p.retainAvailable().ifPresent(b::retainAvailable);
    p.maximumPacketSize().ifPresent(b::maximumPacketSize);
    p.assignedClientIdentifier().ifPresent(b::assignedClientIdentifier);
    p.topicAliasMaximum().ifPresent(b::topicAliasMaximum);
    p.reasonString().ifPresent(b::reasonString);
    userProperties(p).forEach(b::userProperty);
    p.wildcardSubscriptionAvailable().ifPresent(b::wildcardSubscriptionAvailable);
    p.subscriptionIdentifierAvailable().ifPresent(b::subscriptionIdentifiersAvailable);
    p.sharedSubscriptionAvailable().ifPresent(b::sharedSubscriptionAvailable);
    p.serverKeepAlive().ifPresent(b::serverKeepAlive);
    p.responseInformation().ifPresent(b::responseInformation);
    p.serverReference().ifPresent(b::serverReference);
    return b.build();
  }

  /** The User Properties, in the order they came, as the API's pairs. */
  static List<UserProperty> userProperties(Properties p) {
    var received = p.userProperties();
    if (received.isEmpty()) {
      return List.of();
    }
    List<UserProperty> out = new ArrayList<>(received.size());
    received.forEach(u -> out.add(new UserProperty(u.name(), u.value())));
    return List.copyOf(out);
  }
}
