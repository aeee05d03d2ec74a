package io.vmqtt.it.pinning;

/**
 * Sleeps 50 ms in its static initializer: a virtual thread that initializes it blocks with a VM
 * frame on its stack, which pins its carrier on every JDK (21 and 24+ alike). {@link DeliberatePin}
 * loads a fresh copy per pin, so the initializer runs each time. Nothing else uses it.
 */
final class ClinitSleeper {
  /** How long the initializer sleeps. */
  static final long SLEEP_MILLIS = 50;

  static {
    try {
      Thread.sleep(SLEEP_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private ClinitSleeper() {}
}
