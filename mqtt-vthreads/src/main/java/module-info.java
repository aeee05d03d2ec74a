/**
 * The vmqtt engine: an {@link io.vmqtt.MqttClient} on virtual threads, the {@code mqtt}/{@code tcp}
 * transport and the {@code mqtts}/{@code ssl} transport (JSSE; with BouncyCastle also its BCJSSE,
 * TLS-PSK through its TLS API and the key formats the JDK cannot read), and the TCP connector every
 * transport opens its connection with, directly or through an HTTP {@code CONNECT} or SOCKS5 proxy,
 * offered to other transports as {@link io.vmqtt.spi.SocketConnector}. Nothing here is public API;
 * add this module and use {@code io.vmqtt}.
 *
 * <p>BouncyCastle is read only when a feature needs it ({@code requires static}): on the module
 * path, {@code requires io.vmqtt.tls.bouncycastle} (the module of {@code
 * io.vmqtt:mqtt-tls-bouncycastle}) or {@code --add-modules} resolves it.
 */
module io.vmqtt.vthreads {
  requires transitive io.vmqtt;
  requires org.slf4j;
  // Optional (io.vmqtt:mqtt-tls-bouncycastle brings it): TLS-PSK, BCJSSE, PKCS#1/SEC1 keys.
  requires static org.bouncycastle.provider;
  requires static org.bouncycastle.pkix;
  requires static org.bouncycastle.tls;

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
