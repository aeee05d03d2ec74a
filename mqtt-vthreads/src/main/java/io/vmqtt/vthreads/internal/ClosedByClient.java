package io.vmqtt.vthreads.internal;

import java.io.IOException;

/** The cause of a connection the application ended itself, by disconnect or close. */
final class ClosedByClient extends IOException {
  private static final long serialVersionUID = 1L;

  ClosedByClient(String message) {
    super(message);
  }
}
