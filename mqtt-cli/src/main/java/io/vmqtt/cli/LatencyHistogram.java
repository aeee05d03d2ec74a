package io.vmqtt.cli;

/**
 * Latencies in nanoseconds, counted in log-linear buckets: 128 buckets per power of two, so a
 * percentile is within 1 % of the true value, in a fixed 64 KiB whatever the number of samples.
 *
 * <pre>{@code
 * LatencyHistogram h = new LatencyHistogram();
 * h.record(1_500_000);                    // 1.5 ms
 * h.percentile(50);                       // about 1,500,000
 * }</pre>
 *
 * <p>Not thread-safe: one per thread, {@link #add merged} when the threads are done.
 */
final class LatencyHistogram {
  private static final int SUB_BITS = 7; // 128 sub-buckets per power of two
  private static final int SUB_COUNT = 1 << SUB_BITS;

  private final long[] counts = new long[64 * SUB_COUNT];
  private long total;
  private long min = Long.MAX_VALUE;
  private long max;

  /** Counts one latency; a negative one (a clock step) counts as 0. */
  void record(long nanos) {
    long value = Math.max(0, nanos);
    counts[index(value)]++;
    total++;
    min = Math.min(min, value);
    max = Math.max(max, value);
  }

  /** Adds another histogram's counts to this one. */
  void add(LatencyHistogram other) {
    for (int i = 0; i < counts.length; i++) {
      counts[i] += other.counts[i];
    }
    total += other.total;
    min = Math.min(min, other.min);
    max = Math.max(max, other.max);
  }

  long count() {
    return total;
  }

  long min() {
    return total == 0 ? 0 : min;
  }

  long max() {
    return max;
  }

  /**
   * The latency below which {@code percent} of the samples lie (the bucket's midpoint, clamped to
   * the exact minimum and maximum); 0 when empty.
   */
  long percentile(double percent) {
    if (total == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(total * percent / 100.0));
    if (rank >= total) {
      return max;
    }
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return Math.max(min, Math.min(max, midpoint(i)));
      }
    }
    return max;
  }

  private static int index(long value) {
    if (value < SUB_COUNT) {
      return (int) value; // exact below 128 ns
    }
    int exponent = 63 - Long.numberOfLeadingZeros(value); // >= SUB_BITS
    int shift = exponent - SUB_BITS;
    int sub = (int) (value >>> shift) - SUB_COUNT; // 0..127
    return (shift + 1) * SUB_COUNT + sub;
  }

  private static long midpoint(int index) {
    if (index < SUB_COUNT) {
      return index;
    }
    int shift = index / SUB_COUNT - 1;
    long low = ((long) (index % SUB_COUNT) + SUB_COUNT) << shift;
    return low + ((1L << shift) >>> 1);
  }
}
