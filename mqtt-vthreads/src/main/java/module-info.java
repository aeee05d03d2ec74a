/**
 * The vmqtt engine: an {@link io.vmqtt.MqttClient} on virtual threads, the {@code mqtt}/{@code tcp}
 * transport and the {@code mqtts}/{@code ssl} transport (JSSE, BouncyCastle's BCJSSE, and TLS-PSK
 * through BouncyCastle's TLS API), and the TCP connector every transport opens its connection with,
 * directly or through an HTTP {@code CONNECT} or SOCKS5 proxy. Nothing here is public API; add this
 * module and use {@code io.vmqtt}.
 */
@SuppressWarnings("module") // io.vmqtt.websocket is built after this module
module io.vmqtt.vthreads {
  requires transitive io.vmqtt;
  requires org.slf4j;
  requires org.bouncycastle.provider;
  requires org.bouncycastle.pkix;
  requires org.bouncycastle.tls;

  // TlsSockets, so that wss takes the same TLS options, and gives the same errors, as mqtts.
  exports io.vmqtt.vthreads.internal.transport to
      io.vmqtt.websocket;
  // TcpConnector: every transport opens its TCP connection, direct or through a proxy, there.
  exports io.vmqtt.vthreads.internal.proxy to
      io.vmqtt.websocket;

  uses io.vmqtt.spi.TransportProvider;

  provides io.vmqtt.spi.MqttClientProvider with
      io.vmqtt.vthreads.VThreadsClientProvider;
  provides io.vmqtt.spi.TransportProvider with
      io.vmqtt.vthreads.internal.transport.TcpTransportProvider,
      io.vmqtt.vthreads.internal.transport.TlsTransportProvider;
}
