/**
 * The vmqtt engine: an {@link io.vmqtt.MqttClient} on virtual threads, and the {@code mqtt}/{@code
 * tcp} transport. Nothing here is public API; add this module and use {@code io.vmqtt}.
 */
module io.vmqtt.vthreads {
  requires transitive io.vmqtt;
  requires org.slf4j;

  uses io.vmqtt.spi.TransportProvider;

  provides io.vmqtt.spi.MqttClientProvider with
      io.vmqtt.vthreads.VThreadsClientProvider;
  provides io.vmqtt.spi.TransportProvider with
      io.vmqtt.vthreads.internal.transport.TcpTransportProvider;
}
