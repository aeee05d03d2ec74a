package io.vmqtt.vthreads.internal.proxy;

import io.vmqtt.vthreads.internal.proxy.ProxyException.Hop;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The client side of an HTTP {@code CONNECT} tunnel (RFC 9110 9.3.6) over a connected socket: one
 * request, with Basic proxy authentication (RFC 7617) when credentials are given, and the proxy's
 * answer read up to the end of its header and not one byte further, since what follows a 2xx answer
 * is the broker's. Any 2xx opens the tunnel (its Content-Length or Transfer-Encoding is ignored, as
 * 9.3.6 requires); 1xx answers are skipped; anything else fails with the status and reason.
 *
 * <p>Runs in the connecting thread. Stateless and thread-safe.
 */
final class HttpConnectHandshake {
  /** The most bytes of answer header read (interim 1xx answers included) before giving up. */
  static final int MAX_HEAD_BYTES = 16 * 1024;

  /** The most characters of a reason phrase, header or stray answer quoted in a message. */
  static final int MAX_QUOTED = 120;

  private static final Pattern STATUS_LINE = Pattern.compile("HTTP/\\d\\.\\d (\\d{3})(?: (.*))?");
  private static final byte[] HTTP = "HTTP/".getBytes(StandardCharsets.US_ASCII);

  private HttpConnectHandshake() {}

  /** The status line and header fields of one answer. */
  record Answer(int status, String reason, List<String> proxyAuthenticate) {
    String statusText() {
      return "HTTP " + status + (reason.isEmpty() ? "" : " " + reason);
    }
  }

  /**
   * Asks the proxy for a tunnel to {@code host:port} and reads its answer.
   *
   * @param host the broker's host as the user wrote it (not resolved here: the proxy resolves it)
   * @throws ProxyException when the proxy refuses, asks for or rejects credentials, cannot reach
   *     the broker, or answers something that is not HTTP
   * @throws java.net.SocketTimeoutException when the answer does not come before the deadline
   */
  static void open(HandshakeIo io, ProxyRoute route, String host, int port) throws IOException {
    String authority = ProxyRoute.authority(host, port);
    io.write(request(authority, route));
    int read = 0;
    while (true) {
      ByteArrayOutputStream head = readHead(io, route, authority, read);
      read += head.size();
      Answer answer = parse(head, route, authority);
      if (answer.status() >= 100 && answer.status() < 200 && answer.status() != 101) {
        continue; // RFC 9110 15.2: an interim answer; the final one follows
      }
      if (answer.status() >= 200 && answer.status() < 300) {
        return;
      }
      throw refusal(answer, route, authority);
    }
  }

  /** {@code CONNECT host:port HTTP/1.1}, {@code Host} and the credentials, as bytes. */
  static byte[] request(String authority, ProxyRoute route) {
    ByteArrayOutputStream r = new ByteArrayOutputStream(256);
    r.writeBytes(
        ("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    if (route.proxy().username().isPresent()) {
      byte[] basic = basicCredentials(route);
      r.writeBytes("Proxy-Authorization: Basic ".getBytes(StandardCharsets.US_ASCII));
      r.writeBytes(basic);
      Arrays.fill(basic, (byte) 0);
      r.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    r.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    return r.toByteArray();
  }

  /** Base64 of {@code user:password} in UTF-8 (RFC 7617 2 and 2.1); the clear bytes are wiped. */
  private static byte[] basicCredentials(ProxyRoute route) {
    char[] password = route.proxy().password().orElse(new char[0]);
    CharBuffer chars =
        CharBuffer.allocate(route.proxy().username().orElseThrow().length() + 1 + password.length);
    chars.put(route.proxy().username().orElseThrow()).put(':').put(password).flip();
    ByteBuffer utf8 = StandardCharsets.UTF_8.encode(chars);
    byte[] clear = new byte[utf8.remaining()];
    utf8.get(clear);
    byte[] encoded = Base64.getEncoder().encode(clear);
    Arrays.fill(clear, (byte) 0);
    Arrays.fill(password, '\0');
    Arrays.fill(chars.array(), '\0');
    if (utf8.hasArray()) {
      Arrays.fill(utf8.array(), (byte) 0);
    }
    return encoded;
  }

  /**
   * One answer header up to and including its empty line, byte by byte so nothing after it is
   * consumed. Fails as soon as the first bytes are not {@code HTTP/}.
   */
  private static ByteArrayOutputStream readHead(
      HandshakeIo io, ProxyRoute route, String authority, int alreadyRead) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream(256);
    int last = 0; // the last four bytes, the newest lowest
    while (true) {
      int b = io.read();
      if (b < 0) {
        throw new ProxyException(
            Hop.PROXY_PROTOCOL,
            route.name()
                + " closed the connection "
                + (head.size() == 0
                    ? "without answering CONNECT " + authority
                    : "in the middle of its answer to CONNECT "
                        + authority
                        + ": \""
                        + quote(head.toByteArray())
                        + "\""));
      }
      head.write(b);
      int n = head.size();
      if (n <= HTTP.length && b != HTTP[n - 1]) {
        throw new ProxyException(
            Hop.PROXY_PROTOCOL,
            route.name()
                + " answered CONNECT "
                + authority
                + " with something that is not HTTP: \""
                + quote(head.toByteArray())
                + "\""
                + (n == 1 && b == 5 ? " (a SOCKS proxy? then the proxy type is socks5)" : ""));
      }
      last = (last << 8) | b;
      if (endsHead(last, n)) {
        return head;
      }
      if (alreadyRead + n >= MAX_HEAD_BYTES) {
        throw new ProxyException(
            Hop.PROXY_PROTOCOL,
            route.name()
                + " sent more than "
                + MAX_HEAD_BYTES
                + " bytes of answer header to CONNECT "
                + authority
                + " without ending it; giving up");
      }
    }
  }

  /**
   * Whether the bytes end with an empty line: CRLF CRLF, or a bare LF before the final CRLF or LF
   * (RFC 9112 2.2), given the last four bytes read and how many were read.
   */
  static boolean endsHead(int last, int n) {
    return (n >= 4 && last == 0x0D0A0D0A)
        || (n >= 2 && (last & 0xFFFF) == 0x0A0A)
        || (n >= 3 && (last & 0xFFFFFF) == 0x0A0D0A);
  }

  private static Answer parse(ByteArrayOutputStream head, ProxyRoute route, String authority)
      throws ProxyException {
    // RFC 9112 2.2: header bytes are US-ASCII; others are kept as ISO-8859-1 and quoted as '?'.
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r?\n");
    Matcher status = STATUS_LINE.matcher(lines[0]);
    if (!status.matches()) {
      throw new ProxyException(
          Hop.PROXY_PROTOCOL,
          route.name()
              + " answered CONNECT "
              + authority
              + " with a malformed status line: \""
              + quote(lines[0].getBytes(StandardCharsets.ISO_8859_1))
              + "\"");
    }
    List<String> authenticate = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0
          && lines[i].substring(0, colon).strip().equalsIgnoreCase("Proxy-Authenticate")) {
        authenticate.add(lines[i].substring(colon + 1).strip());
      }
    }
    String reason = status.group(2) == null ? "" : status.group(2).strip();
    return new Answer(
        Integer.parseInt(status.group(1)),
        quote(reason.getBytes(StandardCharsets.ISO_8859_1)),
        authenticate);
  }

  /** The failure a non-2xx final answer stands for. */
  static ProxyException refusal(Answer answer, ProxyRoute route, String authority) {
    boolean sentCredentials = route.proxy().username().isPresent();
    int status = answer.status();
    // Tinyproxy 1.11 answers wrong credentials with 401 (and WWW-Authenticate), not 407.
    if (status == 407 || (status == 401 && sentCredentials)) {
      return authentication(answer, route, sentCredentials);
    }
    if (status >= 500) {
      return new ProxyException(
          Hop.BROKER_UNREACHABLE,
          route.name()
              + " could not connect to the broker "
              + authority
              + ": "
              + answer.statusText());
    }
    return new ProxyException(
        Hop.PROXY_REFUSED,
        route.name() + " refused to open a tunnel to " + authority + ": " + answer.statusText());
  }

  private static ProxyException authentication(
      Answer answer, ProxyRoute route, boolean sentCredentials) {
    List<String> schemes =
        answer.proxyAuthenticate().stream()
            .map(c -> c.split("[ ,]", 2)[0])
            .filter(s -> !s.isEmpty())
            .toList();
    boolean basicOffered =
        schemes.isEmpty() || schemes.stream().anyMatch(s -> s.equalsIgnoreCase("basic"));
    String challenge =
        answer.proxyAuthenticate().isEmpty()
            ? ""
            : ", Proxy-Authenticate: "
                + quote(
                    String.join(", ", answer.proxyAuthenticate())
                        .getBytes(StandardCharsets.ISO_8859_1));
    if (!basicOffered) {
      return new ProxyException(
          Hop.PROXY_AUTHENTICATION,
          route.name()
              + " requires authentication with "
              + String.join(", ", schemes)
              + " ("
              + answer.statusText()
              + challenge
              + "); vmqtt authenticates with Basic only");
    }
    if (!sentCredentials) {
      return new ProxyException(
          Hop.PROXY_AUTHENTICATION,
          route.name()
              + " requires authentication ("
              + answer.statusText()
              + challenge
              + "); set proxy_username and proxy_password");
    }
    return new ProxyException(
        Hop.PROXY_AUTHENTICATION,
        route.name()
            + " rejected the credentials of user '"
            + route.proxy().username().orElseThrow()
            + "' ("
            + answer.statusText()
            + challenge
            + ")");
  }

  /**
   * Bytes for a message: printable ASCII as is, CR and LF as {@code \r} {@code \n}, anything else
   * as {@code ?}; at most {@link #MAX_QUOTED} characters, then {@code ...}.
   */
  static String quote(byte[] bytes) {
    StringBuilder s = new StringBuilder();
    for (byte x : bytes) {
      if (s.length() >= MAX_QUOTED) {
        return s.append("...").toString();
      }
      int c = x & 0xFF;
      if (c == '\r') {
        s.append("\\r");
      } else if (c == '\n') {
        s.append("\\n");
      } else if (c >= 0x20 && c < 0x7F) {
        s.append((char) c);
      } else {
        s.append('?');
      }
    }
    return s.toString();
  }
}
