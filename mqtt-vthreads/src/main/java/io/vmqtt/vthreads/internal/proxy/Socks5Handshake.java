package io.vmqtt.vthreads.internal.proxy;

import io.vmqtt.vthreads.internal.proxy.ProxyException.Hop;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The client side of a SOCKS5 {@code CONNECT} (RFC 1928) over a connected socket: the greeting
 * offering "no authentication", and "user name and password" (RFC 1929) when credentials are given;
 * that sub-negotiation when the proxy chooses it; then the request, with the broker's name as a
 * domain name (address type 3) so that the proxy resolves it, or an IPv4/IPv6 address when the
 * broker is given as one. Every answer is read to its exact length and no further.
 *
 * <p>Runs in the connecting thread. Stateless and thread-safe.
 */
final class Socks5Handshake {
  static final int VERSION = 5;
  static final int NO_AUTHENTICATION = 0x00;
  static final int USERNAME_PASSWORD = 0x02;
  static final int NO_ACCEPTABLE_METHODS = 0xFF;
  static final int CMD_CONNECT = 0x01;
  static final int ATYP_IPV4 = 0x01;
  static final int ATYP_DOMAIN = 0x03;
  static final int ATYP_IPV6 = 0x04;

  /** RFC 1929 2: the version of the user name/password sub-negotiation. */
  static final int AUTH_VERSION = 0x01;

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private Socks5Handshake() {}

  /**
   * Asks the proxy to connect to {@code host:port}.
   *
   * @param host the broker's host as the user wrote it, IPv6 without brackets
   * @throws ProxyException when the proxy is no SOCKS5 proxy, wants or rejects credentials, refuses
   *     or cannot reach the broker
   * @throws java.net.SocketTimeoutException when an answer does not come before the deadline
   */
  static void open(HandshakeIo io, ProxyRoute route, String host, int port) throws IOException {
    String authority = ProxyRoute.authority(host, port);
    byte[] address = address(host);
    boolean credentials = route.proxy().username().isPresent();
    // RFC 1928 3: VER, NMETHODS, METHODS.
    io.write(
        credentials
            ? new byte[] {VERSION, 2, NO_AUTHENTICATION, USERNAME_PASSWORD}
            : new byte[] {VERSION, 1, NO_AUTHENTICATION});
    byte[] choice = io.readExactly(2, "its answer to the greeting", route.name());
    checkVersion(choice[0], route);
    int method = choice[1] & 0xFF;
    if (method == USERNAME_PASSWORD && credentials) {
      authenticate(io, route);
    } else if (method == NO_ACCEPTABLE_METHODS) {
      throw new ProxyException(
          Hop.PROXY_AUTHENTICATION,
          credentials
              ? route.name()
                  + " accepts neither no authentication nor user name and password (RFC 1929),"
                  + " the methods vmqtt offers (reply 0xFF no acceptable methods)"
              : route.name()
                  + " requires authentication: it does not accept connections without (reply 0xFF"
                  + " no acceptable methods); set proxy_username and proxy_password");
    } else if (method != NO_AUTHENTICATION) {
      throw new ProxyException(
          Hop.PROXY_PROTOCOL,
          route.name()
              + " chose the authentication method "
              + hex(method)
              + ", which was not offered");
    }
    // RFC 1928 4: VER, CMD, RSV, ATYP, DST.ADDR, DST.PORT.
    ByteArrayOutputStream request = new ByteArrayOutputStream(8 + address.length);
    request.writeBytes(new byte[] {VERSION, CMD_CONNECT, 0});
    request.writeBytes(address);
    request.write(port >> 8);
    request.write(port & 0xFF);
    io.write(request.toByteArray());
    readReply(io, route, authority);
  }

  /** RFC 1929 2: VER 1, ULEN, UNAME, PLEN, PASSWD; the answer's STATUS 0 is success. */
  private static void authenticate(HandshakeIo io, ProxyRoute route) throws IOException {
    String user = route.proxy().username().orElseThrow();
    byte[] name = user.getBytes(StandardCharsets.UTF_8);
    char[] password = route.proxy().password().orElseThrow();
    ByteBuffer pass = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
    Arrays.fill(password, '\0');
    byte[] message = new byte[3 + name.length + pass.remaining()];
    message[0] = AUTH_VERSION;
    message[1] = (byte) name.length;
    System.arraycopy(name, 0, message, 2, name.length);
    message[2 + name.length] = (byte) pass.remaining();
    pass.get(message, 3 + name.length, pass.remaining());
    if (pass.hasArray()) {
      Arrays.fill(pass.array(), (byte) 0);
    }
    try {
      io.write(message);
    } finally {
      Arrays.fill(message, (byte) 0);
    }
    byte[] status = io.readExactly(2, "its answer to the user name and password", route.name());
    // RFC 1929 says the answer's VER is 1; some servers send 5. Either is taken.
    if (status[0] != AUTH_VERSION && status[0] != VERSION) {
      throw new ProxyException(
          Hop.PROXY_PROTOCOL,
          route.name()
              + " answered the user name and password with version "
              + hex(status[0] & 0xFF)
              + " instead of 0x01 (RFC 1929 2)");
    }
    if (status[1] != 0) {
      throw new ProxyException(
          Hop.PROXY_AUTHENTICATION,
          route.name()
              + " rejected the user name and password of user '"
              + user
              + "' (RFC 1929 status "
              + hex(status[1] & 0xFF)
              + ")");
    }
  }

  /** RFC 1928 6: VER, REP, RSV, ATYP, BND.ADDR, BND.PORT; read whole, then REP judged. */
  private static void readReply(HandshakeIo io, ProxyRoute route, String authority)
      throws IOException {
    String what = "its reply to CONNECT " + authority;
    byte[] head = io.readExactly(4, what, route.name());
    checkVersion(head[0], route);
    int reply = head[1] & 0xFF;
    int addressLength =
        switch (head[3] & 0xFF) {
          case ATYP_IPV4 -> 4;
          case ATYP_IPV6 -> 16;
          case ATYP_DOMAIN -> io.readExactly(1, what, route.name())[0] & 0xFF;
          default -> {
            if (reply != 0) {
              yield 0; // the failure is what matters; its address need not be read
            }
            throw new ProxyException(
                Hop.PROXY_PROTOCOL,
                route.name()
                    + " sent a reply to CONNECT "
                    + authority
                    + " with the address type "
                    + hex(head[3] & 0xFF)
                    + ", which RFC 1928 5 does not define");
          }
        };
    if (reply == 0) {
      io.readExactly(addressLength + 2, what, route.name()); // BND.ADDR, BND.PORT: not needed
      return;
    }
    String text = "reply " + hex(reply) + " " + replyName(reply);
    throw switch (reply) {
      case 0x03, 0x04, 0x05, 0x06 ->
          new ProxyException(
              Hop.BROKER_UNREACHABLE,
              route.name() + " could not connect to the broker " + authority + ": " + text);
      default ->
          new ProxyException(
              Hop.PROXY_REFUSED,
              route.name() + " refused to connect to " + authority + ": " + text);
    };
  }

  /** RFC 1928 6: the meaning of a reply code. */
  static String replyName(int reply) {
    return switch (reply) {
      case 0x00 -> "succeeded";
      case 0x01 -> "general SOCKS server failure";
      case 0x02 -> "connection not allowed by ruleset";
      case 0x03 -> "network unreachable";
      case 0x04 -> "host unreachable";
      case 0x05 -> "connection refused";
      case 0x06 -> "TTL expired";
      case 0x07 -> "command not supported";
      case 0x08 -> "address type not supported";
      default -> "unassigned";
    };
  }

  /**
   * ATYP and DST.ADDR: an IPv4 or IPv6 literal as its bytes, anything else as a domain name for the
   * proxy to resolve (RFC 1928 5). Nothing is resolved here.
   */
  static byte[] address(String host) throws IOException {
    if (IPV4.matcher(host).matches() || host.indexOf(':') >= 0) {
      // A literal: getByName parses it without asking DNS.
      byte[] ip = InetAddress.getByName(host).getAddress();
      byte[] a = new byte[1 + ip.length];
      a[0] = (byte) (ip.length == 4 ? ATYP_IPV4 : ATYP_IPV6);
      System.arraycopy(ip, 0, a, 1, ip.length);
      return a;
    }
    byte[] name = host.getBytes(StandardCharsets.US_ASCII);
    if (name.length > 255 || !StandardCharsets.US_ASCII.newEncoder().canEncode(host)) {
      throw new IOException(
          "the broker's host name '"
              + host
              + "' cannot be sent to a SOCKS5 proxy: it takes ASCII names of at most 255 bytes"
              + " (RFC 1928 5)");
    }
    byte[] a = new byte[2 + name.length];
    a[0] = ATYP_DOMAIN;
    a[1] = (byte) name.length;
    System.arraycopy(name, 0, a, 2, name.length);
    return a;
  }

  private static void checkVersion(byte version, ProxyRoute route) throws ProxyException {
    if (version != VERSION) {
      int v = version & 0xFF;
      throw new ProxyException(
          Hop.PROXY_PROTOCOL,
          route.name()
              + " answered with version "
              + hex(v)
              + " instead of 0x05: it is not a SOCKS5 proxy"
              + (v == 'H' ? " (an 'H' starts an HTTP answer: then the proxy type is http)" : ""));
    }
  }

  static String hex(int b) {
    return String.format(Locale.ROOT, "0x%02X", b);
  }
}
