package io.vmqtt.vthreads.internal.transport;

import io.vmqtt.vthreads.internal.ClientThreads;
import java.io.IOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One selector for the whole JVM that watches the parked inputs of quiet plain-TCP connections
 * ({@link SocketTransport#park}), on one platform daemon thread, {@code vmqtt-idle-reads}, which
 * exists only while something is parked (a virtual thread waiting in a selector holds its carrier
 * on JDKs before 24: the selector's monitors). A parked input leaves the selector when its socket
 * is readable with bytes that its {@link ParkableInput.QuietBytes} did not take, when a write wants
 * the socket ({@link #wake}) or when it closes; only then, its key cancelled and flushed, can the
 * channel be blocking again ({@link SocketTransport#unpark}). Thread-safe.
 */
final class IdleReads {
  static final IdleReads INSTANCE = new IdleReads();
  private static final Logger LOG = LoggerFactory.getLogger(IdleReads.class);

  private final Queue<SocketTransport> toRegister = new ConcurrentLinkedQueue<>();
  private final Queue<SocketTransport> toWake = new ConcurrentLinkedQueue<>();
  private final ReentrantLock lock = new ReentrantLock();
  private Selector selector; // guarded by lock while the thread starts or ends
  private Thread thread;

  private IdleReads() {}

  /** Watches {@code t}'s channel, which is in non-blocking mode, until it is readable. */
  void register(SocketTransport t) throws IOException {
    toRegister.add(t);
    try {
      startOrWakeUp();
    } catch (IOException e) {
      toRegister.remove(t);
      throw e;
    }
  }

  /** Lets go of {@code t}'s channel soon, readable or not; it is unparked then. */
  void wake(SocketTransport t) {
    toWake.add(t);
    try {
      startOrWakeUp();
    } catch (IOException e) {
      // No selector could be opened, so none holds the channel: nothing to let go of.
      toWake.remove(t);
      t.unpark();
    }
  }

  private void startOrWakeUp() throws IOException {
    lock.lock();
    try {
      if (thread == null) {
        selector = Selector.open();
        Selector s = selector;
        thread = ClientThreads.startDaemon("vmqtt-idle-reads", () -> run(s));
      } else {
        selector.wakeup();
      }
    } finally {
      lock.unlock();
    }
  }

  private void run(Selector s) {
    try {
      while (true) {
        List<SocketTransport> leaving = new ArrayList<>();
        registerQueued(s, leaving);
        for (SocketTransport t; (t = toWake.poll()) != null; ) {
          SelectionKey key = t.channel().keyFor(s);
          if (key != null) {
            key.cancel();
          }
          leaving.add(t);
        }
        if (leaving.isEmpty()) {
          s.select(key -> readable(key, leaving));
        } else {
          s.selectNow(key -> readable(key, leaving));
        }
        s.selectNow(); // flushes the cancelled keys: only then may a channel block again
        leaving.forEach(IdleReads::unpark);
        if (endIfIdle(s)) {
          return;
        }
      }
    } catch (IOException | RuntimeException e) {
      // The selector failed (a bug or an exhausted system): let go of every channel it held.
      LOG.error("the idle-read selector failed; its connections read on threads again", e);
      failAll(s);
    }
  }

  /**
   * Unparks {@code t}; a failure there (no thread could be started for its reader, say) is logged
   * and costs that connection its reader, whose keep-alive then ends it, not this thread, which
   * serves every parked connection.
   */
  private static void unpark(SocketTransport t) {
    try {
      t.unpark();
    } catch (RuntimeException | Error e) {
      LOG.error("{}: the reader of a parked connection could not be resumed", t.describe(), e);
    }
  }

  private void registerQueued(Selector s, List<SocketTransport> leaving) {
    for (SocketTransport t; (t = toRegister.poll()) != null; ) {
      try {
        t.channel().register(s, SelectionKey.OP_READ, t);
      } catch (ClosedChannelException | IllegalBlockingModeException | CancelledKeyException e) {
        leaving.add(t); // closed, or taken back meanwhile: nothing to watch
      }
    }
  }

  /** A parked channel is readable: it leaves unless what it holds is handled here. */
  private static void readable(SelectionKey key, List<SocketTransport> leaving) {
    if (!((SocketTransport) key.attachment()).readWhileParked()) {
      leave(key, leaving);
    }
  }

  private static void leave(SelectionKey key, List<SocketTransport> leaving) {
    key.cancel();
    leaving.add((SocketTransport) key.attachment());
  }

  /** Ends the thread when nothing is parked or queued; the next register starts a new one. */
  private boolean endIfIdle(Selector s) throws IOException {
    lock.lock();
    try {
      if (!s.keys().isEmpty() || !toRegister.isEmpty() || !toWake.isEmpty()) {
        return false;
      }
      s.close();
      selector = null;
      thread = null;
      return true;
    } finally {
      lock.unlock();
    }
  }

  private void failAll(Selector s) {
    List<SocketTransport> held = new ArrayList<>();
    lock.lock();
    try {
      if (s.isOpen()) {
        for (SelectionKey key : s.keys()) {
          held.add((SocketTransport) key.attachment());
        }
      }
      held.addAll(toRegister);
      held.addAll(toWake);
      toRegister.clear();
      toWake.clear();
      try {
        s.close(); // deregisters every channel
      } catch (IOException e) {
        LOG.debug("closing the failed idle-read selector", e);
      }
      selector = null;
      thread = null;
    } finally {
      lock.unlock();
    }
    // Outside the lock: unpark takes the transport's lock, which a waiting write holds.
    held.forEach(IdleReads::unpark);
  }
}
