package io.vmqtt.bench;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Latencies in nanoseconds, recorded into an array allocated up front so that recording allocates
 * nothing inside a measurement window. Keeps the first {@code capacity} samples. Thread-safe.
 */
final class LatencyRecorder {
  private final long[] samples;
  private final AtomicInteger next = new AtomicInteger();

  LatencyRecorder(int capacity) {
    samples = new long[capacity];
  }

  /** A recorder that keeps nothing, for warm-up. */
  static LatencyRecorder discarding() {
    return new LatencyRecorder(0);
  }

  void record(long nanos) {
    int i = next.getAndIncrement();
    if (i < samples.length) {
      samples[i] = nanos;
    }
  }

  /** The recorded samples, sorted. */
  long[] sorted() {
    long[] s = Arrays.copyOf(samples, Math.min(next.get(), samples.length));
    Arrays.sort(s);
    return s;
  }

  /** The {@code p}-th percentile (0..100) of sorted samples, in microseconds; NaN when empty. */
  static double percentileMicros(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1000.0;
  }
}
