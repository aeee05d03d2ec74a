package io.vmqtt.it.pinning;

import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;

/** Pins a carrier on purpose, for the tests of the pinning guard. */
final class DeliberatePin {
  private DeliberatePin() {}

  /**
   * A virtual thread initializes a fresh copy of {@link ClinitSleeper} (its own class loader), so
   * it sleeps 50 ms pinned; returns when it is done.
   */
  static void inAClassInitializer() throws Exception {
    URL classes = ClinitSleeper.class.getProtectionDomain().getCodeSource().getLocation();
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader())) {
      Thread t =
          Thread.ofVirtual()
              .name("deliberate-pin")
              .start(
                  () -> {
                    try {
                      Class.forName(ClinitSleeper.class.getName(), true, loader);
                    } catch (ClassNotFoundException e) {
                      throw new IllegalStateException(e);
                    }
                  });
      if (!t.join(Duration.ofSeconds(30))) {
        throw new AssertionError("the pinning thread did not end");
      }
    }
  }

  /**
   * A virtual thread sleeps inside {@code synchronized}: pins on Java 21 to 23, not from Java 24 on
   * (JEP 491).
   */
  static void inSynchronized() throws InterruptedException {
    Object monitor = new Object();
    Thread t =
        Thread.ofVirtual()
            .name("deliberate-pin-synchronized")
            .start(
                () -> {
                  synchronized (monitor) {
                    try {
                      Thread.sleep(ClinitSleeper.SLEEP_MILLIS);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  }
                });
    if (!t.join(Duration.ofSeconds(30))) {
      throw new AssertionError("the pinning thread did not end");
    }
  }
}
