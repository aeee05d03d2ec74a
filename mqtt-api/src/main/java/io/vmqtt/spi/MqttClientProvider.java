package io.vmqtt.spi;

import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;

/** Creates {@link MqttClient} instances; found by {@link MqttClient#create} with ServiceLoader. */
public interface MqttClientProvider {
  /** A new, unconnected client. */
  MqttClient create(String clientId, MqttConfig config);
}
