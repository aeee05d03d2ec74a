package io.vmqtt.spi;

/**
 * An MQTT 5 enhanced authentication method (section 4.12): the name the client sends as
 * Authentication Method in CONNECT, and one {@link Exchange} per authentication of a connection
 * (the one of CONNECT, and each re-authentication the application asks for with {@code
 * MqttClient.reauthenticate()}). The client does the packets (CONNECT, AUTH 0x18 and 0x19, CONNACK,
 * AUTH 0x00) and their protocol rules; the method does the data.
 *
 * <pre>{@code
 * // SCRAM-SHA-256 is built in: "auth_method": "SCRAM-SHA-256" with the URI's user and password.
 * // A method of one's own:
 * MqttConfig config = MqttConfig.builder().protocolVersion(5).authenticator(new Authenticator() {
 *   public String method() { return "TOKEN"; }
 *   public Exchange start(AuthenticationContext context) {
 *     return new Exchange() {
 *       public byte[] initialData() { return tokens.fetch(); }
 *       public byte[] challenge(byte[] data) { return tokens.sign(data); }
 *       public void success(byte[] data) {}
 *     };
 *   }
 * }).build();
 * }</pre>
 *
 * <p><b>Threads.</b> The client calls an exchange on the thread that authenticates: the one calling
 * {@code connect}, {@code reconnect} or {@code reauthenticate}, or the client's own reconnect
 * thread; never on its reader or writer thread, never under a lock of the client. So a method may
 * block (ask a token service, say); the wait counts against {@code connect_timeout} (CONNECT) or
 * {@code operation_timeout} (re-authentication), and an exchange still running when that time is up
 * fails the authentication. An exchange is used by one thread at a time, its calls in the order of
 * the exchange; the {@code Authenticator} itself may be asked for exchanges by several clients at
 * once and must be thread-safe.
 */
public interface Authenticator {
  /**
   * The Authentication Method, e.g. {@code SCRAM-SHA-256}: a UTF-8 string the broker knows (often a
   * SASL mechanism name). The same on every call.
   */
  String method();

  /**
   * Starts one authentication: of a new connection (before its CONNECT is sent) or a
   * re-authentication of the live one ({@link AuthenticationContext#reauthentication()}).
   *
   * @throws io.vmqtt.AuthenticationException when it cannot start (no credentials, say); the
   *     connect or re-authentication fails with it
   */
  Exchange start(AuthenticationContext context);

  /**
   * The steps of one authentication. Each may throw {@link io.vmqtt.AuthenticationException} to end
   * it: the client then sends DISCONNECT with reason code 0x80 (Unspecified error) where the
   * protocol allows one, closes the connection, and the connect (a {@code ConnectException} whose
   * cause it is) or {@code reauthenticate()} fails with it.
   */
  interface Exchange {
    /**
     * The Authentication Data of CONNECT (or of AUTH 0x19 for a re-authentication); an empty array
     * sends none.
     */
    byte[] initialData();

    /**
     * Answers a challenge of the server (AUTH with reason code 0x18 Continue authentication): its
     * Authentication Data in, the Authentication Data of the client's AUTH 0x18 out (an empty array
     * sends none).
     *
     * @param data the server's Authentication Data; empty when it sent none
     * @throws InterruptedException when the authenticating thread is interrupted while it waits
     */
    byte[] challenge(byte[] data) throws InterruptedException;

    /**
     * The server accepted the authentication (CONNACK 0x00, or AUTH 0x00 for a re-authentication):
     * checks what it sent with it, e.g. the server's signature of SCRAM. Throw to refuse a server
     * that did not prove itself; the connection is then not used.
     *
     * @param data the server's Authentication Data; empty when it sent none
     */
    void success(byte[] data);
  }
}
