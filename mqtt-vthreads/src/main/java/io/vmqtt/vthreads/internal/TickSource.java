package io.vmqtt.vthreads.internal;

/**
 * Runs periodic checks: the JVM-wide {@link Ticker}, or in tests nothing at all, the test calling
 * the tasks itself with the time it chooses.
 */
interface TickSource {
  /** Runs {@code task} periodically from now on. */
  void register(Ticker.Task task);

  /** Stops running {@code task}; nothing when it is not registered. */
  void unregister(Ticker.Task task);
}
