package io.vmqtt.websocket.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The server's answer to the WebSocket upgrade request, read up to the blank line that ends its
 * headers (RFC 9112 2.1), so that a refusal can be explained with its status line and headers.
 *
 * @param status the status code, 101 when the server switches to WebSocket
 * @param statusLine the first line, e.g. {@code HTTP/1.1 401 Unauthorized}
 * @param headers the header fields by lower-case name (the first of each name)
 * @param bytes every byte read: the head, then whatever followed it in the same reads (frames the
 *     server sent at once), for Java-WebSocket's engine to decode
 */
record UpgradeResponse(int status, String statusLine, Map<String, String> headers, byte[] bytes) {

  /** The head may be this long, blank line included; a longer one is refused before reading on. */
  static final int MAX_HEAD_BYTES = 16 * 1024;

  private static final int CHUNK_BYTES = 4096;
  private static final int MAX_SHOWN_CHARS = 120;

  /** The value of a header field, or null. */
  String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  /** The reason phrase and, for a redirect, where to: {@code 401 Unauthorized}. */
  String describeStatus() {
    String text = statusLine.substring(statusLine.indexOf(' ') + 1);
    String location = header("Location");
    return location == null ? text : text + " (Location: " + shorten(location) + ")";
  }

  /**
   * Reads the answer's head from {@code in}, and what the same reads brought after it.
   *
   * @param target the endpoint, for messages
   * @throws EOFException when the stream ends before the head does
   * @throws IOException when the head is longer than {@link #MAX_HEAD_BYTES} or is not HTTP
   */
  static UpgradeResponse read(InputStream in, String target) throws IOException {
    byte[] buf = new byte[MAX_HEAD_BYTES + CHUNK_BYTES];
    int filled = 0;
    int headEnd;
    while ((headEnd = headEnd(buf, filled)) < 0) {
      if (filled >= MAX_HEAD_BYTES) {
        throw new IOException(
            "the answer of "
                + target
                + " to the WebSocket upgrade has more than "
                + MAX_HEAD_BYTES
                + " bytes of headers");
      }
      int n = in.read(buf, filled, Math.min(CHUNK_BYTES, buf.length - filled));
      if (n == -1) {
        throw new EOFException(
            filled == 0
                ? target + " closed the connection without answering the WebSocket upgrade"
                : target
                    + " closed the connection in the middle of its answer to the WebSocket"
                    + " upgrade: "
                    + shorten(firstLine(buf, filled)));
      }
      filled += n;
    }
    String head = new String(buf, 0, headEnd, StandardCharsets.ISO_8859_1);
    String[] lines = head.split("\r\n");
    String statusLine = lines[0];
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/") || !parts[1].matches("\\d{3}")) {
      throw new IOException(
          target + " did not answer the WebSocket upgrade with HTTP: " + shorten(statusLine));
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.putIfAbsent(
            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
    }
    return new UpgradeResponse(
        Integer.parseInt(parts[1]), statusLine, headers, Arrays.copyOf(buf, filled));
  }

  /** The index just past the blank line ending the head, or -1 while it has not been read. */
  private static int headEnd(byte[] buf, int filled) {
    int limit = Math.min(filled, MAX_HEAD_BYTES);
    for (int i = 3; i < limit; i++) {
      if (buf[i] == '\n' && buf[i - 1] == '\r' && buf[i - 2] == '\n' && buf[i - 3] == '\r') {
        return i + 1;
      }
    }
    return -1;
  }

  private static String firstLine(byte[] buf, int filled) {
    String text = new String(buf, 0, filled, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n");
    return end < 0 ? text : text.substring(0, end);
  }

  /**
   * RFC 6455 4.2.2: the Sec-WebSocket-Accept a server must answer to {@code key}, the base64 of the
   * SHA-1 of the key and a fixed GUID.
   */
  static String expectedAccept(String key) {
    try {
      byte[] sha1 =
          MessageDigest.getInstance("SHA-1")
              .digest(
                  (key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")
                      .getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(sha1);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is not available", e);
    }
  }

  /** Printable and short enough for a message. */
  static String shorten(String text) {
    String printable = text.replaceAll("[^\\x20-\\x7E]", "?");
    return printable.length() <= MAX_SHOWN_CHARS
        ? printable
        : printable.substring(0, MAX_SHOWN_CHARS) + "...";
  }
}
