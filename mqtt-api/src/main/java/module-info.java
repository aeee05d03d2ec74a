/**
 * The vmqtt public API: {@link io.vmqtt.MqttClient} and its values, and the transport SPI.
 *
 * <p>An implementation is found with {@link java.util.ServiceLoader}; depending on {@code
 * io.vmqtt:mqtt-vthreads} is enough.
 */
@SuppressWarnings("module") // io.vmqtt.vthreads is built after this module
module io.vmqtt {
  exports io.vmqtt;
  exports io.vmqtt.spi;

  // The engine makes and reads the receipt a received Message carries (ApiAccess); not API.
  exports io.vmqtt.internal.api to
      io.vmqtt.vthreads;

  uses io.vmqtt.spi.MqttClientProvider;
  uses io.vmqtt.spi.TransportProvider;
  uses io.vmqtt.spi.FileSessionStoreProvider;
  uses io.vmqtt.spi.SocketConnector;
}
