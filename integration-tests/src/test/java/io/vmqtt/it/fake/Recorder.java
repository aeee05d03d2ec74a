package io.vmqtt.it.fake;

import io.vmqtt.Message;
import io.vmqtt.MessageListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A message listener for tests: records what it receives and on which thread, and waits for a count
 * with Awaitility. Thread-safe.
 */
final class Recorder implements MessageListener {
  private final ReentrantLock lock = new ReentrantLock();
  private final List<Message> messages = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final String name;

  Recorder(String name) {
    this.name = name;
  }

  @Override
  public void onMessage(Message message) throws Exception {
    lock.lock();
    try {
      messages.add(message);
      threads.add(Thread.currentThread());
    } finally {
      lock.unlock();
    }
  }

  List<Message> messages() {
    lock.lock();
    try {
      return List.copyOf(messages);
    } finally {
      lock.unlock();
    }
  }

  /** The payloads received so far, as UTF-8 text. */
  List<String> payloads() {
    return messages().stream().map(Message::payloadAsString).toList();
  }

  List<Thread> threads() {
    lock.lock();
    try {
      return List.copyOf(threads);
    } finally {
      lock.unlock();
    }
  }

  int count() {
    lock.lock();
    try {
      return messages.size();
    } finally {
      lock.unlock();
    }
  }

  /** Waits until at least {@code n} messages arrived; returns them. */
  List<Message> await(int n, Duration timeout) {
    org.awaitility.Awaitility.await(name + " to receive " + n + " messages")
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(10))
        .until(() -> count() >= n);
    return messages();
  }

  @Override
  public String toString() {
    return "Recorder[" + name + "]";
  }
}
