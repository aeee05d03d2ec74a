package io.vmqtt.vthreads.internal.transport;

/**
 * A transport whose reader can give its thread up while the connection is quiet: a virtual thread
 * parked in a socket read keeps its stack (about 3 KB), which for many idle connections is most of
 * what each costs. The reader times its read at a packet boundary out ({@link #timeNextRead}),
 * parks the input ({@link #park}) and ends; the transport calls back once bytes arrive, a write
 * needs the socket back, or the socket closes, and the engine starts a new reader. Plain TCP does
 * this ({@link SocketTransport} over a socket channel); TLS and WebSocket transports do not.
 */
public interface ParkableInput {
  /**
   * The next read of the transport's input gives up after {@code millis} milliseconds without a
   * byte, with a {@link java.net.SocketTimeoutException} that leaves the connection as it was;
   * later reads wait as long as it takes. Reader thread only.
   */
  void timeNextRead(int millis);

  /**
   * Stops reading until the socket is readable, then offers what arrived to {@code quiet} and,
   * unless it handled all of it, runs {@code onReadable} once, on another thread; also when a write
   * needs the socket back (it is larger than the socket takes at once) or the socket closes (the
   * new reader's read then says so). Nothing may read the input meanwhile; writes go out at once,
   * or wait, bounded, for the socket to be taken back. Reader thread only.
   *
   * @return false, and nothing changed, when it cannot park now (a write is under way, the socket
   *     has no channel or is closed)
   */
  boolean park(QuietBytes quiet, Runnable onReadable);

  /** {@link #park(QuietBytes, Runnable)} with no bytes taken while parked. */
  default boolean park(Runnable onReadable) {
    return park((bytes, length) -> false, onReadable);
  }

  /**
   * Bytes that arrive while the input is parked, offered before a reader is started for them: a
   * keep-alive answer on a quiet connection is two bytes, and taking it here spares a reader thread
   * and the socket's round trip out of the selector and back in.
   */
  @FunctionalInterface
  interface QuietBytes {
    /**
     * Whether {@code bytes[0, length)}, all the socket held, are handled here; the input then stays
     * parked. When false, or when this throws, the bytes are the next reader's first. Runs on the
     * idle selector's thread, which serves every parked connection: must not block.
     */
    boolean handled(byte[] bytes, int length);
  }
}
