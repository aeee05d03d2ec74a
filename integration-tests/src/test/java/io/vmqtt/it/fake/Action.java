package io.vmqtt.it.fake;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/**
 * What the {@link FakeBroker} does when a packet of some type arrives from the client, set with
 * {@link FakeBroker#on} (every such packet) or {@link FakeBroker#enqueue} (the next one only).
 *
 * <pre>{@code
 * broker.onConnect(Action.ignore());                          // a CONNACK that never comes
 * broker.on(RawPacket.PUBLISH, Action.holdUntil(release));    // acks wait for the test
 * broker.on(RawPacket.SUBSCRIBE, Action.reply(p -> Frames.suback(p.packetId(), 0x80)));
 * }</pre>
 *
 * <p>Values; thread-safe.
 */
public sealed interface Action {

  /** The well-behaved broker's answer (see {@link FakeBroker}); the default for every type. */
  static Action auto() {
    return Auto.INSTANCE;
  }

  /** No answer at all: a CONNACK, PUBACK or PINGRESP that never comes. Reading goes on. */
  static Action ignore() {
    return Ignore.INSTANCE;
  }

  /** Writes these bytes (frames, or garbage) instead of the automatic answer. */
  static Action reply(byte[]... frames) {
    byte[] bytes = Frames.concat(frames);
    return new Reply(p -> bytes, false);
  }

  /** Writes the bytes computed from the packet, e.g. an ack carrying its packet id. */
  static Action reply(Function<RawPacket, byte[]> answer) {
    return new Reply(answer, false);
  }

  /** Writes these bytes, then closes the socket (a broker refusing a CONNECT does this). */
  static Action replyThenClose(byte[]... frames) {
    byte[] bytes = Frames.concat(frames);
    return new Reply(p -> bytes, true);
  }

  /**
   * Writes these bytes, then stops reading the socket for good, as {@link #stall()}: a broker that
   * accepts a client and then reads nothing more, while the test may go on writing to it.
   */
  static Action replyThenStall(byte[]... frames) {
    return new ReplyThenStall(Frames.concat(frames));
  }

  /** Closes the socket without answering. */
  static Action closeSocket() {
    return CloseSocket.INSTANCE;
  }

  /** Stops reading the socket entirely (and answers nothing) until the broker closes it. */
  static Action stall() {
    return Stall.INSTANCE;
  }

  /** The automatic answer after {@code delay}; the broker keeps reading meanwhile. */
  static Action delay(Duration delay) {
    return new Delay(delay);
  }

  /**
   * The automatic answer once the test counts {@code release} down; the broker keeps reading
   * meanwhile, so later packets are received (and answered by their own rules) while this waits.
   */
  static Action holdUntil(CountDownLatch release) {
    return new Hold(release);
  }

  /**
   * The action {@code chooser} picks for each packet, e.g. per client id: a first connection cut
   * right after its CONNACK, the ones after it served as usual.
   */
  static Action choose(Function<RawPacket, Action> chooser) {
    return new Choose(chooser);
  }

  /** See {@link #auto()}. */
  enum Auto implements Action {
    INSTANCE
  }

  /** See {@link #ignore()}. */
  enum Ignore implements Action {
    INSTANCE
  }

  /** See {@link #closeSocket()}. */
  enum CloseSocket implements Action {
    INSTANCE
  }

  /** See {@link #stall()}. */
  enum Stall implements Action {
    INSTANCE
  }

  /** See {@link #reply(Function)} and {@link #replyThenClose(byte[]...)}. */
  record Reply(Function<RawPacket, byte[]> answer, boolean thenClose) implements Action {
    public Reply {
      Objects.requireNonNull(answer, "answer");
    }
  }

  /** See {@link #replyThenStall(byte[]...)}. */
  record ReplyThenStall(byte[] bytes) implements Action {
    public ReplyThenStall {
      Objects.requireNonNull(bytes, "bytes");
    }
  }

  /** See {@link #choose(Function)}. */
  record Choose(Function<RawPacket, Action> chooser) implements Action {
    public Choose {
      Objects.requireNonNull(chooser, "chooser");
    }
  }

  /** See {@link #delay(Duration)}. */
  record Delay(Duration delay) implements Action {
    public Delay {
      if (delay.isNegative()) {
        throw new IllegalArgumentException("delay must not be negative, was " + delay);
      }
    }
  }

  /** See {@link #holdUntil(CountDownLatch)}. */
  record Hold(CountDownLatch release) implements Action {
    public Hold {
      Objects.requireNonNull(release, "release");
    }
  }
}
