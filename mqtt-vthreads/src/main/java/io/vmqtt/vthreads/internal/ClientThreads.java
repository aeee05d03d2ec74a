package io.vmqtt.vthreads.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the client's own virtual threads (reader, writer, reconnect, events, the ticker) so that
 * nothing thrown on them goes unseen. Each thread's loop catches what it can handle and fails what
 * it owns (the connection, the reconnection) with it as the cause; this handler is the last resort
 * for a failure inside that handling itself, which would otherwise end the thread with a line on
 * standard error, or nothing at all. Stateless; thread-safe.
 */
final class ClientThreads {
  private static final Logger LOG = LoggerFactory.getLogger(ClientThreads.class);

  private ClientThreads() {}

  /** A virtual thread, not started, named {@code name}, whose uncaught exceptions are logged. */
  static Thread unstarted(String name, Runnable task) {
    return Thread.ofVirtual()
        .name(name)
        .uncaughtExceptionHandler(ClientThreads::uncaught)
        .unstarted(task);
  }

  /** {@link #unstarted}, started. */
  static Thread start(String name, Runnable task) {
    Thread t = unstarted(name, task);
    t.start();
    return t;
  }

  private static void uncaught(Thread thread, Throwable e) {
    LOG.error("vmqtt thread {} ended with an unexpected exception", thread.getName(), e);
  }
}
