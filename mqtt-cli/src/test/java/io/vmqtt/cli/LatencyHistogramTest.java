package io.vmqtt.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

  @Test
  void percentilesOfAUniformSpreadAreWithinOnePercent() {
    LatencyHistogram h = new LatencyHistogram();
    for (long micros = 1; micros <= 10_000; micros++) {
      h.record(micros * 1_000);
    }
    assertThat(h.count()).isEqualTo(10_000);
    assertThat(h.min()).isEqualTo(1_000);
    assertThat(h.max()).isEqualTo(10_000_000);
    assertThat((double) h.percentile(50)).isCloseTo(5_000_000, within(50_000.0));
    assertThat((double) h.percentile(99)).isCloseTo(9_900_000, within(99_000.0));
    assertThat((double) h.percentile(99.9)).isCloseTo(9_990_000, within(99_900.0));
    assertThat(h.percentile(100)).isEqualTo(10_000_000);
  }

  @Test
  void smallValuesAreExactAndNegativeOnesCountAsZero() {
    LatencyHistogram h = new LatencyHistogram();
    h.record(-5);
    h.record(3);
    h.record(100);
    assertThat(h.min()).isZero();
    assertThat(h.percentile(50)).isEqualTo(3);
    assertThat(h.percentile(100)).isEqualTo(100);
  }

  @Test
  void mergingAddsCountsAndKeepsTheExtremes() {
    LatencyHistogram a = new LatencyHistogram();
    LatencyHistogram b = new LatencyHistogram();
    a.record(1_000);
    b.record(1_000_000_000L);
    a.add(b);
    assertThat(a.count()).isEqualTo(2);
    assertThat(a.min()).isEqualTo(1_000);
    assertThat(a.max()).isEqualTo(1_000_000_000L);
    assertThat(new LatencyHistogram().percentile(50)).isZero();
  }
}
