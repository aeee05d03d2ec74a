package io.vmqtt.vthreads;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmqtt.MqttClient;
import io.vmqtt.internal.api.Services;
import io.vmqtt.spi.MqttClientProvider;
import io.vmqtt.spi.SocketConnector;
import org.junit.jupiter.api.Test;

/**
 * The engine's providers are looked up once: a {@code ServiceLoader} lookup reads every jar's
 * service files, and a fresh one per client made opening many clients measurably slower.
 */
class ServiceLookupTest {
  @Test
  void theClientProviderIsLookedUpOnceAndSharedByEveryClient() {
    MqttClientProvider first = Services.first(MqttClientProvider.class).orElseThrow();

    assertThat(first).isInstanceOf(VThreadsClientProvider.class);
    assertThat(Services.first(MqttClientProvider.class)).containsSame(first);
    try (MqttClient client = MqttClient.create("lookup-test")) {
      assertThat(client.clientId()).isEqualTo("lookup-test");
    }
  }

  @Test
  void theSocketConnectorIsLookedUpOnce() {
    assertThat(SocketConnector.find()).isSameAs(SocketConnector.find());
  }
}
