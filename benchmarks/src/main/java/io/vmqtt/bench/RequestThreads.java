package io.vmqtt.bench;

/**
 * The request-thread scenarios: one driver thread starts a new virtual thread per publish, as a
 * server on virtual threads starts one per request, and at most {@code window} are outstanding. The
 * driver takes a {@link Window} slot before starting each thread; the request completes it, on its
 * own thread (a blocking client) or in the client's completion callback (an asynchronous one).
 *
 * <p>Runs on the caller's thread; the requests run on their own virtual threads.
 */
final class RequestThreads {
  /** What one request does with its slot: publish, and complete the slot when acknowledged. */
  @FunctionalInterface
  interface Request {
    void start(Window.Slot slot) throws Exception;
  }

  private RequestThreads() {}

  /** Starts {@code count} requests, each on a new virtual thread, and waits until all completed. */
  static void run(long count, int window, LatencyRecorder latencies, Request request)
      throws Exception {
    Window w = new Window(window, latencies);
    for (long i = 0; i < count; i++) {
      Window.Slot slot = w.acquire();
      Thread.startVirtualThread(
          () -> {
            try {
              request.start(slot);
            } catch (Throwable t) {
              slot.complete(t);
            }
          });
    }
    w.awaitAll(); // rethrows the first failure
  }
}
