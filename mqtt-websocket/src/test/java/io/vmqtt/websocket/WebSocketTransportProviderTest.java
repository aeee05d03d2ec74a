package io.vmqtt.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmqtt.spi.TransportProvider;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The provider as {@link ServiceLoader} finds it: schemes and default ports. */
class WebSocketTransportProviderTest {

  @Test
  void serviceLoaderFindsTheProviderForWsAndWss() {
    assertThat(
            ServiceLoader.load(TransportProvider.class).stream().map(ServiceLoader.Provider::type))
        .contains(WebSocketTransportProvider.class);
    assertThat(new WebSocketTransportProvider().schemes()).containsExactlyInAnyOrder("ws", "wss");
  }

  @Test
  void theDefaultPortsAre80ForWsAnd443ForWss() {
    WebSocketTransportProvider provider = new WebSocketTransportProvider();

    assertThat(provider.defaultPort("ws")).isEqualTo(80);
    assertThat(provider.defaultPort("wss")).isEqualTo(443);
  }
}
