package io.vmqtt.vthreads.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the client's own virtual threads (reader, writer, reconnect, events, the ticker), and the
 * one platform thread of the JVM-wide idle-read selector, so that nothing thrown on them goes
 * unseen. Each thread's loop catches what it can handle and fails what it owns (the connection, the
 * reconnection) with it as the cause; this handler is the last resort for a failure inside that
 * handling itself, which would otherwise end the thread with a line on standard error, or nothing
 * at all. Stateless; thread-safe.
 */
public final class ClientThreads {
  private static final Logger LOG = LoggerFactory.getLogger(ClientThreads.class);

  private ClientThreads() {}

  /** A virtual thread, not started, named {@code name}, whose uncaught exceptions are logged. */
  public static Thread unstarted(String name, Runnable task) {
    return Thread.ofVirtual()
        .name(name)
        .uncaughtExceptionHandler(ClientThreads::uncaught)
        .unstarted(task);
  }

  /** {@link #unstarted}, started. */
  public static Thread start(String name, Runnable task) {
    Thread t = unstarted(name, task);
    t.start();
    return t;
  }

  /**
   * A started platform daemon thread, for a JVM-wide loop that blocks in the kernel, where a
   * virtual thread would hold its carrier on JDKs before 24 (a selector's monitors while it waits).
   */
  public static Thread startDaemon(String name, Runnable task) {
    return Thread.ofPlatform()
        .daemon()
        .name(name)
        .uncaughtExceptionHandler(ClientThreads::uncaught)
        .start(task);
  }

  private static void uncaught(Thread thread, Throwable e) {
    LOG.error("vmqtt thread {} ended with an unexpected exception", thread.getName(), e);
  }
}
