package io.vmqtt.it.resilience;

import io.vmqtt.Connack;
import io.vmqtt.ConnectException;
import io.vmqtt.ConnectionListener;
import io.vmqtt.MqttClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Records what a client's {@link ConnectionListener} hears, each event with the {@link
 * System#nanoTime()} at which it was heard, and the name of the thread it ran on. Thread-safe.
 *
 * <pre>{@code
 * ConnectionEvents events = ConnectionEvents.attachTo(client);
 * proxy.cutAll();
 * events.awaitReconnects(1, Duration.ofSeconds(10));
 * assertThat(events.reconnected().get(0).connack().sessionPresent()).isTrue();
 * }</pre>
 */
final class ConnectionEvents implements ConnectionListener {
  record Connected(Connack connack, long nanos, String thread) {}

  record Lost(Throwable cause, long nanos, String thread) {}

  record Reconnected(Connack connack, long nanos, String thread) {}

  record Failed(ConnectException cause, boolean givingUp, long nanos, String thread) {}

  private final List<Connected> connected = new CopyOnWriteArrayList<>();
  private final List<Lost> lost = new CopyOnWriteArrayList<>();
  private final List<Reconnected> reconnected = new CopyOnWriteArrayList<>();
  private final List<Failed> failed = new CopyOnWriteArrayList<>();
  private final Semaphore reconnects = new Semaphore(0);

  private ConnectionEvents() {}

  /** A recorder added to the client's listeners. */
  static ConnectionEvents attachTo(MqttClient client) {
    ConnectionEvents events = new ConnectionEvents();
    client.addConnectionListener(events);
    return events;
  }

  @Override
  public void connected(Connack connack) {
    connected.add(new Connected(connack, System.nanoTime(), Thread.currentThread().getName()));
  }

  @Override
  public void connectionLost(Throwable cause) {
    lost.add(new Lost(cause, System.nanoTime(), Thread.currentThread().getName()));
  }

  @Override
  public void reconnected(Connack connack) {
    reconnected.add(new Reconnected(connack, System.nanoTime(), Thread.currentThread().getName()));
    reconnects.release();
  }

  @Override
  public void reconnectFailed(ConnectException cause, boolean givingUp) {
    failed.add(new Failed(cause, givingUp, System.nanoTime(), Thread.currentThread().getName()));
  }

  List<Connected> connected() {
    return List.copyOf(connected);
  }

  List<Lost> lost() {
    return List.copyOf(lost);
  }

  List<Reconnected> reconnected() {
    return List.copyOf(reconnected);
  }

  List<Failed> failed() {
    return List.copyOf(failed);
  }

  /**
   * Waits until {@code n} more {@code reconnected} events than were awaited before have been heard:
   * each call consumes the events it waited for.
   *
   * @throws AssertionError when they are not heard in time, with the events so far
   */
  void awaitReconnects(int n, Duration timeout) throws InterruptedException {
    if (!reconnects.tryAcquire(n, timeout.toNanos(), TimeUnit.NANOSECONDS)) {
      throw new AssertionError(
          "expected "
              + n
              + " more reconnection(s) within "
              + timeout.toMillis()
              + " ms; heard so far: "
              + this);
    }
  }

  @Override
  public String toString() {
    return connected.size()
        + " connected, "
        + lost.size()
        + " lost "
        + lost.stream().map(l -> String.valueOf(l.cause())).limit(3).toList()
        + ", "
        + reconnected.size()
        + " reconnected, "
        + failed.size()
        + " failed "
        + failed.stream()
            .map(f -> f.cause() + (f.givingUp() ? " (giving up)" : ""))
            .limit(3)
            .toList();
  }
}
