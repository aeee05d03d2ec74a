package io.vmqtt.vthreads;

import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.spi.MqttClientProvider;
import io.vmqtt.vthreads.internal.DefaultMqttClient;

/** Provides the virtual-thread engine to {@link MqttClient#create}. */
public final class VThreadsClientProvider implements MqttClientProvider {
  @Override
  public MqttClient create(String clientId, MqttConfig config) {
    return new DefaultMqttClient(clientId, config);
  }
}
