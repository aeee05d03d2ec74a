/**
 * The vmqtt engine: an {@link io.vmqtt.MqttClient} on virtual threads, the {@code mqtt}/{@code tcp}
 * transport and the {@code mqtts}/{@code ssl} transport (JSSE, BouncyCastle's BCJSSE, and TLS-PSK
 * through BouncyCastle's TLS API), and the TCP connector every transport opens its connection with,
 * directly or through an HTTP {@code CONNECT} or SOCKS5 proxy, offered to other transports as
 * {@link io.vmqtt.spi.SocketConnector}. Nothing here is public API; add this module and use {@code
 * io.vmqtt}.
 */
module io.vmqtt.vthreads {
  requires transitive io.vmqtt;
  requires org.slf4j;
  requires org.bouncycastle.provider;
  requires org.bouncycastle.pkix;
  requires org.bouncycastle.tls;

  uses io.vmqtt.spi.TransportProvider;

  provides io.vmqtt.spi.MqttClientProvider with
      io.vmqtt.vthreads.VThreadsClientProvider;
  provides io.vmqtt.spi.TransportProvider with
      io.vmqtt.vthreads.internal.transport.TcpTransportProvider,
      io.vmqtt.vthreads.internal.transport.TlsTransportProvider;
  // TCP (directly or through a proxy) and TLS for the transports of other modules (ws, wss).
  provides io.vmqtt.spi.SocketConnector with
      io.vmqtt.vthreads.internal.transport.EngineSocketConnector;
}
