package io.vmqtt.it.fake;

import static io.vmqtt.it.fake.ClientSupport.QUIET;
import static io.vmqtt.it.fake.ClientSupport.WAIT;
import static io.vmqtt.it.fake.ClientSupport.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vmqtt.Message;
import io.vmqtt.MessageSelector;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code messages(...)} as a {@link Flow.Publisher}: routed like a listener, demand honoured as
 * back-pressure, the Reactive Streams rules a subscriber relies on (onSubscribe first, signals one
 * at a time, no more onNext than requested, request(n <= 0) an error, cancel idempotent), and
 * completion when the client closes.
 */
class MessageStreamTest {
  private FakeBroker broker;
  private MqttClient client;

  @BeforeEach
  void startBroker() throws Exception {
    broker = FakeBroker.start();
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    broker.close();
  }

  private void connect(MqttConfig config) throws Exception {
    client = MqttClient.create("fake-stream", config);
    client.connect(broker.uri());
    broker.takePacket(RawPacket.CONNECT, WAIT);
  }

  private void publish(String topic, String payload, int qos, int packetId) {
    broker.publishToClient(
        topic, payload.getBytes(StandardCharsets.UTF_8), qos, false, false, packetId);
  }

  /** Records every signal in order, and checks they come one at a time. */
  static final class Probe implements Flow.Subscriber<Message> {
    final ReentrantLock lock = new ReentrantLock();
    final List<String> signals = new ArrayList<>();
    final AtomicInteger inside = new AtomicInteger();
    volatile boolean overlapped;
    volatile Flow.Subscription subscription;
    volatile Thread thread;

    private void record(String signal) {
      if (inside.incrementAndGet() != 1) {
        overlapped = true;
      }
      lock.lock();
      try {
        signals.add(signal);
      } finally {
        lock.unlock();
      }
      inside.decrementAndGet();
    }

    List<String> signals() {
      lock.lock();
      try {
        return List.copyOf(signals);
      } finally {
        lock.unlock();
      }
    }

    List<String> next() {
      return signals().stream().filter(s -> s.startsWith("next ")).toList();
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      thread = Thread.currentThread();
      record("subscribe");
    }

    @Override
    public void onNext(Message m) {
      record("next " + m.payloadAsString());
    }

    @Override
    public void onError(Throwable t) {
      record("error " + t.getClass().getSimpleName() + ": " + t.getMessage());
    }

    @Override
    public void onComplete() {
      record("complete");
    }
  }

  private static Probe subscribed(Flow.Publisher<Message> publisher) {
    Probe probe = new Probe();
    publisher.subscribe(probe);
    await().atMost(WAIT).until(() -> probe.subscription != null);
    return probe;
  }

  @Test
  void nothingIsDeliveredBeyondTheDemandAndTheRestFollowsWhenRequested() throws Exception {
    connect(config().build());
    Probe probe = subscribed(client.messages("s/#"));
    assertThat(probe.thread.isVirtual()).isTrue();
    assertThat(probe.thread.getName()).startsWith("vmqtt-fake-stream-stream-");

    for (int i = 1; i <= 5; i++) {
      publish("s/" + i, "m" + i, 0, 0);
    }
    probe.subscription.request(2);
    await().atMost(WAIT).until(() -> probe.next().size() == 2);
    await().during(QUIET).atMost(WAIT).until(() -> probe.next().size() == 2);

    probe.subscription.request(3);

    await().atMost(WAIT).until(() -> probe.next().size() == 5);
    assertThat(probe.signals())
        .containsExactly("subscribe", "next m1", "next m2", "next m3", "next m4", "next m5");
    assertThat(probe.overlapped).isFalse();
    assertThat(client.pollMessage()).as("the stream took them from deliverMessage").isEmpty();
  }

  @Test
  void withoutDemandQos1MessagesStopTheReaderAndFlowOnceRequested() throws Exception {
    int budget = 64 * 1024;
    connect(config().incomingQueueBytes(budget).keepAlive(Duration.ofSeconds(60)).build());
    Probe probe = subscribed(client.messages("flood"));
    int messages = 30_000; // of 1 KiB: more than the sockets buffer, 470 times the budget
    try (Flood flood =
        new Flood(
            broker,
            messages,
            16,
            i -> Frames.publish("flood", new byte[1024], 1, false, false, 1 + i))) {
      await("the flood to stall")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> flood.isDone() || flood.stalledFor(500));
      assertThat(flood.isDone()).as("back-pressure: the client stopped reading").isFalse();
      assertThat(probe.next()).isEmpty();
      assertThat(broker.pollPacket(QUIET)).as("an acknowledgement without onNext").isEmpty();

      probe.subscription.request(Long.MAX_VALUE);

      await().atMost(Duration.ofSeconds(30)).until(() -> probe.next().size() == messages);
      await().atMost(WAIT).until(flood::isDone);
    }
    for (int id = 1; id <= messages; id++) {
      assertThat(broker.takePacket(RawPacket.PUBACK, WAIT).packetId()).isEqualTo(id);
    }
  }

  @Test
  void aStreamIsRoutedLikeAListenerWithItsSelector() throws Exception {
    connect(config().build());
    Probe exclusive =
        subscribed(client.messages(MessageSelector.topic("a/#").priority(1).exclusive()));
    Recorder lower = new Recorder("lower");
    client.addMessageListener("a/#", lower);
    exclusive.subscription.request(10);

    publish("a/1", "x", 0, 0);
    publish("b", "y", 0, 0);

    await().atMost(WAIT).until(() -> exclusive.next().size() == 1);
    assertThat(client.deliverMessage(WAIT).payloadAsString()).isEqualTo("y");
    assertThat(lower.count()).isZero();
  }

  @Test
  void cancelStopsDeliveryDropsWhatWasQueuedAndSendsLaterMessagesElsewhere() throws Exception {
    connect(config().build());
    Probe probe = subscribed(client.messages("c"));
    publish("c", "queued", 1, 1);
    await().during(QUIET).atMost(WAIT).until(() -> probe.next().isEmpty());

    probe.subscription.cancel();
    probe.subscription.cancel(); // idempotent [3.5]
    probe.subscription.request(5); // no effect after cancel [3.6]

    assertThat(broker.takePacket(RawPacket.PUBACK, WAIT).packetId())
        .as("a dropped message counts as handled")
        .isEqualTo(1);
    publish("c", "later", 0, 0);
    assertThat(client.deliverMessage(WAIT).payloadAsString()).isEqualTo("later");
    assertThat(probe.signals()).containsExactly("subscribe");
  }

  @Test
  void aNonPositiveRequestIsSignalledAsAnErrorAndEndsTheSubscription() throws Exception {
    connect(config().build());
    Probe probe = subscribed(client.messages("e"));

    probe.subscription.request(0); // [3.9]

    await().atMost(WAIT).until(() -> probe.signals().size() == 2);
    assertThat(probe.signals().get(1))
        .isEqualTo(
            "error IllegalArgumentException: request(0): demand must be positive"
                + " (Reactive Streams 3.9)");
    publish("e", "after", 0, 0);
    assertThat(client.deliverMessage(WAIT).payloadAsString()).isEqualTo("after");
  }

  @Test
  void aSubscriberWhoseOnNextThrowsIsCancelled() throws Exception {
    connect(config().build());
    AtomicInteger calls = new AtomicInteger();
    Flow.Subscriber<Message> throwing =
        new Flow.Subscriber<>() {
          @Override
          public void onSubscribe(Flow.Subscription s) {
            s.request(Long.MAX_VALUE);
          }

          @Override
          public void onNext(Message item) {
            calls.incrementAndGet();
            throw new IllegalStateException("bad subscriber");
          }

          @Override
          public void onError(Throwable throwable) {}

          @Override
          public void onComplete() {}
        };
    client.messages("t").subscribe(throwing);

    publish("t", "1", 0, 0);
    await().atMost(WAIT).until(() -> calls.get() == 1);
    publish("t", "2", 0, 0);

    assertThat(client.deliverMessage(WAIT).payloadAsString()).isEqualTo("2");
    assertThat(calls.get()).isEqualTo(1);
  }

  @Test
  void closingTheClientCompletesTheStream() throws Exception {
    connect(config().build());
    Probe probe = subscribed(client.messages("x"));
    probe.subscription.request(1);
    publish("x", "1", 0, 0);
    await().atMost(WAIT).until(() -> probe.next().size() == 1);

    client.close();

    await().atMost(WAIT).until(() -> probe.signals().contains("complete"));
    assertThat(probe.signals()).containsExactly("subscribe", "next 1", "complete");

    Probe late = new Probe();
    client.messages("x").subscribe(late);
    assertThat(late.signals()).containsExactly("subscribe", "complete");
  }

  @Test
  void aStreamGoesOnAcrossDisconnectAndConnect() throws Exception {
    connect(config().build());
    Probe probe = subscribed(client.messages("d"));
    probe.subscription.request(Long.MAX_VALUE);

    client.disconnect();
    client.connect(broker.uri());
    publish("d", "after reconnect", 0, 0);

    await().atMost(WAIT).until(() -> probe.next().size() == 1);
    assertThat(probe.signals()).containsExactly("subscribe", "next after reconnect");
  }
}
