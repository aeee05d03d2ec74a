/**
 * The vmqtt public API: {@link io.vmqtt.MqttClient} and its values, and the transport SPI.
 *
 * <p>An implementation is found with {@link java.util.ServiceLoader}; depending on {@code
 * io.vmqtt:mqtt-vthreads} is enough.
 */
module io.vmqtt {
  exports io.vmqtt;
  exports io.vmqtt.spi;

  uses io.vmqtt.spi.MqttClientProvider;
  uses io.vmqtt.spi.TransportProvider;
  uses io.vmqtt.spi.FileSessionStoreProvider;
}
