package io.vmqtt.bench;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Readings of this JVM: process CPU time, bytes allocated on the heap, used heap, RSS, threads.
 *
 * <ul>
 *   <li>CPU: {@link OperatingSystemMXBean#getProcessCpuTime()}, all threads of the process (the
 *       client's, the JIT's, the GC's), user and system time.
 *   <li>Allocation: {@link ThreadMXBean#getTotalThreadAllocatedBytes()}, which on JDK 21+ sums
 *       every platform thread, live or ended; a virtual thread's allocation is counted on its
 *       carrier (checked on JDK 25: 100 MB allocated in a virtual thread shows as 100 MB). Heap
 *       only: Netty's direct buffers are not in it.
 *   <li>Heap in use after two {@code System.gc()}; RSS from {@code /proc/self/status}; platform
 *       threads from {@link ThreadMXBean#getThreadCount()}; virtual threads counted in a JSON
 *       thread dump ({@link HotSpotDiagnosticMXBean#dumpThreads}).
 * </ul>
 */
final class ProcessMeter {
  private static final OperatingSystemMXBean OS =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

  private ProcessMeter() {}

  /**
   * Time, CPU, allocation and the process's write and read system calls so far ({@code syscw},
   * {@code syscr} of {@code /proc/self/io}; -1 where unknown) at one instant.
   */
  record Snapshot(long nanos, long cpuNanos, long allocatedBytes, long writeCalls, long readCalls) {
    static Snapshot now() {
      long[] io = systemCalls();
      return new Snapshot(
          System.nanoTime(),
          OS.getProcessCpuTime(),
          THREADS.getTotalThreadAllocatedBytes(),
          io[0],
          io[1]);
    }
  }

  /** {@code syscw} and {@code syscr} from {@code /proc/self/io}, or -1 each if unknown. */
  private static long[] systemCalls() {
    long[] io = {-1, -1};
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
        if (line.startsWith("syscw:")) {
          io[0] = Long.parseLong(line.substring(6).trim());
        } else if (line.startsWith("syscr:")) {
          io[1] = Long.parseLong(line.substring(6).trim());
        }
      }
    } catch (IOException | NumberFormatException e) {
      // Not Linux: unknown.
    }
    return io;
  }

  /** Used heap after two full collections, in bytes. */
  static long usedHeapAfterGc() {
    System.gc();
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** Resident set size in bytes, from {@code VmRSS} in {@code /proc/self/status}; -1 if unknown. */
  static long rssBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // Not Linux: unknown.
    }
    return -1;
  }

  /**
   * The soft or hard limit on open files of process {@code pid}, from {@code /proc/<pid>/limits};
   * {@link Long#MAX_VALUE} for "unlimited", -1 if unknown.
   */
  static long openFileLimit(long pid, boolean hard) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/limits"))) {
        if (line.startsWith("Max open files")) {
          String[] f = line.substring("Max open files".length()).trim().split("\\s+");
          String v = f[hard ? 1 : 0];
          return v.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(v);
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux: unknown.
    }
    return -1;
  }

  /** Live platform threads. */
  static int platformThreads() {
    return THREADS.getThreadCount();
  }

  /** Virtual threads alive, counted in a JSON thread dump; -1 if the dump fails. */
  static long virtualThreads() {
    try {
      Path dump = Files.createTempFile("vmqtt-bench-threads", ".json");
      Files.delete(dump); // dumpThreads refuses to overwrite
      try {
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
            .dumpThreads(dump.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
        String json = Files.readString(dump);
        long n = 0;
        for (int i = json.indexOf("\"virtual\": true");
            i >= 0;
            i = json.indexOf("\"virtual\": true", i + 1)) {
          n++;
        }
        return n;
      } finally {
        Files.deleteIfExists(dump);
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
