package io.vmqtt.vthreads.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class KeepAliveTest {
  private static final Duration TICK = Duration.ofMillis(Ticker.PERIOD_MS);

  @Test
  void aMinuteOfKeepAliveIsCheckedOnceASecondNotAtEveryTick() {
    assertThat(checkEvery(true, "59s", "30s", "10s")).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void theShortestTimeoutThatAppliesSetsTheCheckToATenthOfIt() {
    assertThat(checkEvery(true, "4s", "2500ms", "10s")).isEqualTo(Duration.ofMillis(250));
    assertThat(checkEvery(true, "59s", "30s", "3s")).isEqualTo(Duration.ofMillis(300));
  }

  @Test
  void withoutPingingOnlyTheWriteTimeoutCounts() {
    assertThat(checkEvery(false, "0s", "250ms", "5s")).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void shortTimeoutsAreStillCheckedAtEveryTick() {
    assertThat(checkEvery(true, "1s", "500ms", "10s")).isEqualTo(TICK);
    assertThat(checkEvery(false, "0s", "250ms", "0s")).isEqualTo(TICK);
  }

  private static Duration checkEvery(
      boolean pinging, String interval, String responseTimeout, String writeTimeout) {
    return KeepAlive.checkEvery(
        pinging, nanos(interval), nanos(responseTimeout), nanos(writeTimeout));
  }

  private static long nanos(String d) {
    return d.endsWith("ms")
        ? Duration.ofMillis(Long.parseLong(d.substring(0, d.length() - 2))).toNanos()
        : Duration.ofSeconds(Long.parseLong(d.substring(0, d.length() - 1))).toNanos();
  }
}
