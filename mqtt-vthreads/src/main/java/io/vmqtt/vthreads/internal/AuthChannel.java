package io.vmqtt.vthreads.internal;

import io.vmqtt.spi.AuthenticationContext;
import io.vmqtt.vthreads.internal.codec.AuthPacket;
import io.vmqtt.vthreads.internal.codec.ConnackPacket;
import io.vmqtt.vthreads.internal.codec.Packet;
import io.vmqtt.vthreads.internal.codec.PacketType;
import io.vmqtt.vthreads.internal.codec.ProtocolViolationException;
import io.vmqtt.vthreads.internal.codec.ReasonCodes;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The MQTT 5 enhanced authentication of one connection whose CONNECT carried an Authentication
 * Method (section 4.12): the server's AUTH packets (and, during the handshake, its CONNACK) on
 * their way from the reader to the thread that authenticates, which runs the {@link
 * io.vmqtt.spi.Authenticator}. The authenticator never runs on the reader: the reader checks and
 * hands over, the authenticating thread (connect, reconnect or {@code reauthenticate}) takes.
 *
 * <p>At most one packet waits here: the server speaks only when the client has ({@link #onAuth}'s
 * checks make a second one a Protocol Error), so the reader never waits to hand over. It waits
 * once: for the verdict on an accepting CONNACK ({@link #approve}), because nothing may be read,
 * and nothing sent, on a connection the authenticator has not accepted (a SCRAM server that cannot
 * prove itself gets no messages); that wait is bounded by {@code connect_timeout}, and ends when
 * the connection fails.
 *
 * <p>Thread-safe; every field below the lock is guarded by {@link #lock}.
 */
final class AuthChannel {
  /** Authenticate Reason Codes (Table 3-11). */
  static final int SUCCESS = 0x00;

  static final int CONTINUE = 0x18;
  static final int REAUTHENTICATE = 0x19;

  private final String method;
  private final AuthenticationContext context;
  private final Duration approvalBound;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();

  /** Serializes re-authentications: one exchange at a time per connection. */
  private final ReentrantLock reauthentications = new ReentrantLock();

  /** The packet the authenticating thread has yet to take. */
  private Packet inbox;

  /**
   * An exchange waits for the server: from CONNECT until CONNACK, and during a re-authentication.
   */
  private boolean awaiting = true;

  /** Until the authenticating thread accepted the CONNACK. */
  private boolean handshake = true;

  private boolean accepted;
  private boolean received;
  private Throwable failure;

  /**
   * @param context the credentials of the CONNECT's exchange, used again to re-authenticate
   * @param approvalBound the longest the reader waits for the verdict on CONNACK ({@code
   *     connect_timeout}: the handshake gives up by then, and failing releases the reader)
   */
  AuthChannel(String method, AuthenticationContext context, Duration approvalBound) {
    this.method = method;
    this.context = context;
    this.approvalBound = approvalBound;
  }

  /** The Authentication Method of the CONNECT: every AUTH carries it [MQTT-4.12.0-5]. */
  String method() {
    return method;
  }

  /** The context of the connection's authentication. */
  AuthenticationContext context() {
    return context;
  }

  // --- the reader --------------------------------------------------------------------------------

  /**
   * An AUTH from the server; runs on the reader. Never waits.
   *
   * @throws ProtocolViolationException 0x82 for an AUTH with another Authentication Method
   *     [MQTT-4.12.0-5], with reason code 0x19 (only a client sends it, Table 3-11), with 0x00
   *     before CONNACK (the server ends the first authentication with CONNACK), or when no exchange
   *     of this client awaits one (section 4.12)
   */
  void onAuth(AuthPacket p) {
    lock.lock();
    try {
      received = true; // even a faulty AUTH says the server speaks MQTT 5: it gets DISCONNECT
    } finally {
      lock.unlock();
    }
    String theirs = p.properties().authenticationMethod().orElse("");
    if (!theirs.equals(method)) {
      throw violation(
          "AUTH with Authentication Method '"
              + theirs
              + "' on a connection authenticated with '"
              + method
              + "' [MQTT-4.12.0-5]");
    }
    if (p.reasonCode() == REAUTHENTICATE) {
      throw violation(
          "AUTH with reason code 0x19 (Re-authenticate), which only a client sends (section"
              + " 3.15.2.1)");
    }
    lock.lock();
    try {
      if (failure != null) {
        return;
      }
      if (handshake && p.reasonCode() == SUCCESS) {
        throw violation(
            "AUTH with reason code 0x00 (Success) before CONNACK: the server ends the"
                + " authentication of CONNECT with CONNACK (section 4.12)");
      }
      if (!awaiting || inbox != null) {
        throw violation(
            "AUTH with reason code "
                + ReasonCodes.describe(PacketType.AUTH, p.reasonCode())
                + (awaiting
                    ? " before the client answered the one before (section 4.12)"
                    : " while no re-authentication of the client is in progress (section 4.12.1)"));
      }
      inbox = p;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Whether an AUTH or the CONNACK came: the server speaks MQTT 5 and may get a DISCONNECT before
   * the connection is taken into use.
   */
  boolean received() {
    lock.lock();
    try {
      return received;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The CONNACK, handed to the authenticating thread; runs on the reader. A refusal is only handed
   * over; for an acceptance the reader waits, at most {@code connect_timeout}, until the
   * authenticating thread has checked the server's data ({@link #accept}) or the connection failed.
   *
   * @return whether the connection may be taken into use; false when it failed or the wait ran out
   */
  boolean approve(ConnackPacket connack) throws InterruptedException {
    long deadline = System.nanoTime() + approvalBound.toNanos();
    lock.lockInterruptibly();
    try {
      inbox = connack; // an unanswered AUTH is moot once the server decided
      received = true;
      changed.signalAll();
      if (connack.returnCode() != 0) {
        return true;
      }
      while (!accepted && failure == null) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        changed.awaitNanos(left);
      }
      return accepted && failure == null;
    } finally {
      lock.unlock();
    }
  }

  /** The connection failed: every wait here ends. Idempotent. */
  void fail(Throwable cause) {
    lock.lock();
    try {
      if (failure == null) {
        failure = cause;
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  // --- the authenticating thread -----------------------------------------------------------------

  /**
   * The server's next AUTH or CONNACK, waiting until {@code deadline} ({@link System#nanoTime()}).
   *
   * @return the packet, or null when the connection failed (its failure says why)
   * @throws TimeoutException when nothing came in time
   */
  Packet next(long deadline) throws InterruptedException, TimeoutException {
    lock.lockInterruptibly();
    try {
      while (inbox == null && failure == null) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new TimeoutException();
        }
        changed.awaitNanos(left);
      }
      Packet p = inbox;
      inbox = null;
      return failure == null ? p : null;
    } finally {
      lock.unlock();
    }
  }

  /** The authenticator accepted the CONNACK's data: the reader may take the connection into use. */
  void accept() {
    lock.lock();
    try {
      accepted = true;
      handshake = false;
      awaiting = false;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Begins a re-authentication, after the one in progress (if any) ended, waiting at most until
   * {@code deadline}.
   *
   * @return false when the one in progress did not end in time
   */
  boolean beginReauthentication(long deadline) throws InterruptedException {
    if (!reauthentications.tryLock(
        Math.max(0, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS)) {
      return false;
    }
    lock.lock();
    try {
      awaiting = true;
      inbox = null;
    } finally {
      lock.unlock();
    }
    return true;
  }

  /** Ends the re-authentication begun by this thread: an AUTH from now on is a Protocol Error. */
  void endReauthentication() {
    lock.lock();
    try {
      awaiting = false;
      inbox = null;
    } finally {
      lock.unlock();
    }
    reauthentications.unlock();
  }

  private static ProtocolViolationException violation(String message) {
    return new ProtocolViolationException(
        ProtocolViolationException.PROTOCOL_ERROR, "Protocol violation: " + message);
  }

  @Override
  public String toString() {
    return "AuthChannel[" + method + "]";
  }
}
