package io.vmqtt.cli;

import java.io.PrintStream;
import java.time.temporal.ChronoUnit;
import java.util.function.LongSupplier;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * {@code vmqtt load}'s live progress bar on the error stream, drawn by the progressbar library
 * (which redraws the line in place and knows the terminal's width): messages received of those
 * expected, the receive rate, and messages sent. A virtual thread copies the counters into the bar
 * every 100 ms. Thread-safe; {@link #close()} draws the final state and ends the line.
 */
final class Progress implements AutoCloseable {
  private static final Progress NONE = new Progress(null, null, () -> 0, () -> 0);

  private final ProgressBar bar;
  private final Thread updater;
  private final LongSupplier received;
  private final LongSupplier sent;

  private Progress(ProgressBar bar, Thread updater, LongSupplier received, LongSupplier sent) {
    this.bar = bar;
    this.updater = updater;
    this.received = received;
    this.sent = sent;
  }

  /** A bar when {@code show}, else one that does nothing. */
  static Progress start(
      boolean show, PrintStream err, long total, LongSupplier received, LongSupplier sent) {
    if (!show) {
      return NONE;
    }
    ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName("received")
            .setInitialMax(total)
            .setStyle(ProgressBarStyle.ASCII)
            .setConsumer(new ConsoleProgressBarConsumer(err))
            .setUpdateIntervalMillis(100)
            .setUnit(" msg", 1)
            .showSpeed()
            .setSpeedUnit(ChronoUnit.SECONDS)
            .build();
    Thread updater =
        Thread.ofVirtual()
            .name("vmqtt-load-progress")
            .start(
                () -> {
                  while (!Thread.currentThread().isInterrupted()) {
                    bar.stepTo(received.getAsLong());
                    bar.setExtraMessage(" sent " + sent.getAsLong());
                    try {
                      Thread.sleep(100); // a refresh period, not a wait for something
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                });
    return new Progress(bar, updater, received, sent);
  }

  @Override
  public void close() throws InterruptedException {
    if (bar == null) {
      return;
    }
    updater.interrupt();
    updater.join();
    bar.stepTo(received.getAsLong());
    bar.setExtraMessage(" sent " + sent.getAsLong());
    bar.close();
  }
}
