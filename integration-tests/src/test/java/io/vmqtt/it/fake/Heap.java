package io.vmqtt.it.fake;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Heap figures for the flood tests: the bytes in use after a full collection, so that what the
 * client holds is measured, not the garbage it made on the way. Stateless.
 */
final class Heap {
  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

  private Heap() {}

  /** Heap bytes in use after {@link System#gc()}, the least of three tries. */
  static long usedAfterGc() {
    long least = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      least = Math.min(least, MEMORY.getHeapMemoryUsage().getUsed());
    }
    return least;
  }

  /** Bytes as MiB with one decimal, for messages. */
  static String mib(long bytes) {
    return String.format("%.1f MiB", bytes / (1024.0 * 1024.0));
  }
}
