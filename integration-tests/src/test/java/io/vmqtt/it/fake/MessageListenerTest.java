package io.vmqtt.it.fake;

import static io.vmqtt.it.fake.ClientSupport.QUIET;
import static io.vmqtt.it.fake.ClientSupport.WAIT;
import static io.vmqtt.it.fake.ClientSupport.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.vmqtt.ListenerRegistration;
import io.vmqtt.Message;
import io.vmqtt.MessageListener;
import io.vmqtt.MessageSelector;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.QoS;
import io.vmqtt.it.fixture.LogCapture;
import io.vmqtt.it.fixture.ThreadDump;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Message listeners against the scripted broker: routing by filter, condition, priority and
 * exclusivity; the fallback to {@code deliverMessage}; order per listener; listeners in parallel; a
 * listener that throws; threads.
 */
class MessageListenerTest {
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
    client = MqttClient.create("fake-listeners", config);
    client.connect(broker.uri());
    broker.takePacket(RawPacket.CONNECT, WAIT);
  }

  private void publish(String topic, String payload, int qos, int packetId) {
    broker.publishToClient(topic, utf8(payload), qos, false, false, packetId);
  }

  @Test
  void aListenerGetsWhatItsFilterMatchesAndTheRestGoesToDeliverMessage() throws Exception {
    connect(config().build());
    Recorder temps = new Recorder("temps");
    client.addMessageListener("sensors/+/temp", temps);

    publish("sensors/1/temp", "21.5", 0, 0);
    publish("sensors/1/humidity", "40", 0, 0);
    publish("sensors/2/temp", "19.0", 1, 3);

    assertThat(temps.await(2, WAIT))
        .extracting(Message::topic)
        .containsExactly("sensors/1/temp", "sensors/2/temp");
    Message other = client.deliverMessage(WAIT);
    assertThat(other.topic()).isEqualTo("sensors/1/humidity");
    assertThat(client.pollMessage()).isEmpty();
    assertThat(broker.takePacket(RawPacket.PUBACK, WAIT).packetId()).isEqualTo(3);
  }

  @Test
  void overlappingFiltersEachGetTheMessageAndOneListenerUnderTwoFiltersGetsItOnce()
      throws Exception {
    connect(config().build());
    Recorder all = new Recorder("all");
    Recorder level = new Recorder("level");
    Recorder exact = new Recorder("exact");
    Recorder twice = new Recorder("twice");
    client.addMessageListener("a/#", all);
    client.addMessageListener("a/+/c", level);
    client.addMessageListener("a/b/c", exact);
    client.addMessageListener("a/#", twice);
    client.addMessageListener("+/b/+", twice);

    publish("a/b/c", "1", 1, 1);
    publish("a/x", "2", 0, 0);
    publish("a", "3", 0, 0); // "a/#" matches the parent level too [MQTT-4.7.1-2]
    publish("b", "4", 0, 0);

    assertThat(all.await(3, WAIT))
        .extracting(Message::payloadAsString)
        .containsExactly("1", "2", "3");
    assertThat(twice.await(3, WAIT))
        .extracting(Message::payloadAsString)
        .containsExactly("1", "2", "3");
    assertThat(level.payloads()).containsExactly("1");
    assertThat(exact.payloads()).containsExactly("1");
    assertThat(client.deliverMessage(WAIT).payloadAsString()).isEqualTo("4");
    assertThat(broker.takePacket(RawPacket.PUBACK, WAIT).packetId()).isEqualTo(1);
    assertThat(broker.pollPacket(QUIET)).as("one PUBACK for a message taken by four").isEmpty();
  }

  @Test
  void wildcardFiltersDoNotMatchDollarTopics() throws Exception {
    connect(config().build()); // [MQTT-4.7.2-1]
    Recorder everything = new Recorder("everything");
    Recorder sys = new Recorder("sys");
    client.addMessageListener("#", everything);
    client.addMessageListener("$SYS/#", sys);

    publish("$SYS/broker/uptime", "5 seconds", 0, 0);
    publish("plain", "x", 0, 0);

    assertThat(sys.await(1, WAIT)).extracting(Message::topic).containsExactly("$SYS/broker/uptime");
    assertThat(everything.await(1, WAIT)).extracting(Message::topic).containsExactly("plain");
    assertThat(client.pollMessage()).isEmpty();
  }

  @Test
  void anExclusiveListenerTakesWhatItSelectsFromListenersOfLowerPriorityAndFromDeliverMessage()
      throws Exception {
    connect(config().build());
    // Zerynth's example: a callback with a condition first, the generic one only for the rest.
    Recorder generic = new Recorder("generic");
    Recorder cool = new Recorder("cool");
    Recorder observer = new Recorder("observer");
    client.addMessageListener(MessageSelector.topic("#"), generic); // added first, priority 0
    client.addMessageListener(
        MessageSelector.topic("#").when(m -> m.topic().equals("cool")).priority(5).exclusive(),
        cool);
    client.addMessageListener(MessageSelector.topic("#").priority(9), observer); // not exclusive

    publish("cool", "c1", 0, 0);
    publish("warm", "w1", 0, 0);
    publish("cool", "c2", 1, 4);

    assertThat(cool.await(2, WAIT))
        .extracting(Message::payloadAsString)
        .containsExactly("c1", "c2");
    assertThat(observer.await(3, WAIT))
        .extracting(Message::payloadAsString)
        .containsExactly("c1", "w1", "c2");
    assertThat(generic.await(1, WAIT)).extracting(Message::payloadAsString).containsExactly("w1");
    assertThat(broker.takePacket(RawPacket.PUBACK, WAIT).packetId()).isEqualTo(4);
    assertThat(generic.payloads()).as("what the exclusive listener took").containsExactly("w1");
    assertThat(client.pollMessage()).isEmpty();
  }

  @Test
  void amongEqualPrioritiesTheListenerAddedFirstIsConsideredFirst() throws Exception {
    connect(config().build());
    Recorder first = new Recorder("first");
    Recorder second = new Recorder("second");
    client.addMessageListener(MessageSelector.topic("t").exclusive(), first);
    client.addMessageListener(MessageSelector.topic("t").exclusive(), second);
    Recorder higher = new Recorder("higher");

    publish("t", "1", 0, 0);
    assertThat(first.await(1, WAIT)).hasSize(1);

    client.addMessageListener(MessageSelector.topic("t").priority(1).exclusive(), higher);
    publish("t", "2", 0, 0);

    assertThat(higher.await(1, WAIT)).extracting(Message::payloadAsString).containsExactly("2");
    assertThat(first.payloads()).containsExactly("1");
    assertThat(second.count()).isZero();
  }

  @Test
  void aConditionSelectsAmongTheMessagesOfItsFilterAndOneThatThrowsCountsAsFalse()
      throws Exception {
    connect(config().build());
    Recorder large = new Recorder("large");
    Recorder broken = new Recorder("broken");
    client.addMessageListener(
        MessageSelector.topic("data/#").when(m -> m.payload().length > 3), large);
    client.addMessageListener(
        MessageSelector.topic("data/#")
            .when(
                m -> {
                  throw new IllegalStateException("condition broke on " + m.topic());
                }),
        broken);

    try (LogCapture log = LogCapture.start("io.vmqtt", Level.WARN)) {
      publish("data/a", "tiny", 0, 0);
      publish("data/b", "x", 0, 0);

      assertThat(large.await(1, WAIT)).extracting(Message::payloadAsString).containsExactly("tiny");
      assertThat(client.deliverMessage(WAIT).payloadAsString()).isEqualTo("x");
      assertThat(broken.count()).isZero();
      assertThat(log.events())
          .extracting(ILoggingEvent::getFormattedMessage)
          .anySatisfy(line -> assertThat(line).contains("threw on a message to 'data/a'"));
    }
  }

  @Test
  void tenThousandQos1MessagesReachAListenerInOrderAndArePubackedInOrder() throws Exception {
    connect(config().build());
    Recorder listener = new Recorder("in-order");
    client.addMessageListener("seq", listener);
    int count = 10_000;

    for (int i = 0; i < count; i += 500) {
      byte[][] frames = new byte[500][];
      for (int j = 0; j < 500; j++) {
        frames[j] =
            Frames.publish("seq", utf8(Integer.toString(i + j)), 1, false, false, 1 + i + j);
      }
      broker.sendRaw(Frames.concat(frames));
    }

    List<Message> got = listener.await(count, Duration.ofSeconds(60));
    assertThat(got)
        .extracting(Message::payloadAsString)
        .containsExactlyElementsOf(IntStream.range(0, count).mapToObj(Integer::toString).toList());
    assertThat(listener.threads())
        .as("one message at a time: never on the reader")
        .noneMatch(t -> t.getName().endsWith("-reader"));
    for (int id = 1; id <= count; id++) {
      assertThat(broker.takePacket(RawPacket.PUBACK, WAIT).packetId()).isEqualTo(id);
    }
  }

  @Test
  void aListenerRunsOnAVirtualThreadOfTheClientOneMessageAtATime() throws Exception {
    connect(config().build());
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    CountDownLatch all = new CountDownLatch(200);
    client.addMessageListener(
        "burst",
        m -> {
          most.accumulateAndGet(inside.incrementAndGet(), Math::max);
          synchronized (threads) {
            threads.add(Thread.currentThread());
          }
          Thread.yield();
          inside.decrementAndGet();
          all.countDown();
        });

    for (int i = 0; i < 200; i++) {
      publish("burst", "m" + i, 0, 0);
    }

    assertThat(all.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    assertThat(most.get()).as("listener calls at once").isEqualTo(1);
    assertThat(threads).allSatisfy(t -> assertThat(t.isVirtual()).isTrue());
    assertThat(threads.get(0).getName()).startsWith("vmqtt-fake-listeners-listener-");
  }

  @Test
  void aListenerThatBlocksDoesNotDelayAnotherListenersMessages() throws Exception {
    connect(config().build());
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean slowReturned = new AtomicBoolean();
    Recorder slowGot = new Recorder("slow");
    client.addMessageListener(
        "slow",
        m -> {
          slowGot.onMessage(m);
          if (m.payloadAsString().equals("s0")) {
            release.await(30, TimeUnit.SECONDS); // blocks until the test lets it go
          }
          slowReturned.set(true);
        });
    Recorder fast = new Recorder("fast");
    client.addMessageListener("fast", fast);

    publish("slow", "s0", 1, 1);
    slowGot.await(1, WAIT);
    for (int i = 0; i < 100; i++) {
      publish("fast", "f" + i, 1, 2 + i);
    }
    publish("slow", "s1", 1, 200);

    assertThat(fast.await(100, WAIT)).hasSize(100);
    assertThat(slowReturned).as("the slow listener still blocks").isFalse();
    // The acknowledgements go in arrival order [MQTT-4.6.0-2]: the slow one's holds back the rest.
    assertThat(broker.pollPacket(QUIET)).as("a PUBACK while packet id 1 is not handled").isEmpty();

    release.countDown();
    assertThat(slowGot.await(2, WAIT))
        .extracting(Message::payloadAsString)
        .containsExactly("s0", "s1");
    List<Integer> acked = new ArrayList<>();
    for (int i = 0; i < 102; i++) {
      acked.add(broker.takePacket(RawPacket.PUBACK, WAIT).packetId());
    }
    List<Integer> arrival = new ArrayList<>(List.of(1));
    IntStream.range(0, 100).forEach(i -> arrival.add(2 + i));
    arrival.add(200);
    assertThat(acked).isEqualTo(arrival);
  }

  @Test
  void aListenerThatThrowsIsLoggedGoesOnReceivingAndItsMessageCountsAsHandled() throws Exception {
    connect(config().build());
    Recorder other = new Recorder("other");
    AtomicInteger calls = new AtomicInteger();
    MessageListener thrower =
        m -> {
          calls.incrementAndGet();
          throw new IllegalStateException("cannot handle " + m.payloadAsString());
        };
    client.addMessageListener(MessageSelector.topic("jobs").priority(1), thrower);
    client.addMessageListener("jobs", other);

    try (LogCapture log = LogCapture.start("io.vmqtt", Level.WARN)) {
      publish("jobs", "first", 1, 11);
      publish("jobs", "second", 2, 12);

      assertThat(other.await(2, WAIT))
          .extracting(Message::payloadAsString)
          .containsExactly("first", "second");
      await().atMost(WAIT).until(() -> calls.get() == 2);
      assertThat(broker.takePacket(RawPacket.PUBACK, WAIT).packetId()).isEqualTo(11);
      assertThat(broker.takePacket(RawPacket.PUBREC, WAIT).packetId()).isEqualTo(12);
      await()
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  assertThat(log.events())
                      .filteredOn(e -> e.getLevel() == Level.WARN)
                      .extracting(ILoggingEvent::getFormattedMessage)
                      .anySatisfy(
                          line ->
                              assertThat(line)
                                  .contains("threw on a QoS 1 message to 'jobs' (packet id 11)")
                                  .contains("counts as handled")));
    }
    assertThat(client.isConnected()).isTrue();
    assertThat(client.pollMessage()).as("not handed to deliverMessage instead").isEmpty();
  }

  @Test
  void removingAListenerSendsLaterMessagesElsewhere() throws Exception {
    connect(config().build());
    Recorder first = new Recorder("first");
    ListenerRegistration registration = client.addMessageListener("t", first);
    assertThat(registration.isActive()).isTrue();

    publish("t", "1", 0, 0);
    first.await(1, WAIT);
    registration.remove();
    registration.remove(); // idempotent
    publish("t", "2", 0, 0);

    assertThat(client.deliverMessage(WAIT).payloadAsString()).isEqualTo("2");
    assertThat(registration.isActive()).isFalse();
    assertThat(first.payloads()).containsExactly("1");

    Recorder twice = new Recorder("twice");
    client.addMessageListener("t", twice);
    client.addMessageListener("u", twice);
    assertThat(client.removeMessageListener(twice)).isTrue();
    assertThat(client.removeMessageListener(twice)).isFalse();
    publish("u", "3", 0, 0);
    assertThat(client.deliverMessage(WAIT).payloadAsString()).isEqualTo("3");
  }

  @Test
  void subscribeWithAListenerGetsTheRetainedMessageThatFollowsTheSuback() throws Exception {
    broker.on(
        RawPacket.SUBSCRIBE,
        Action.reply(
            p ->
                Frames.concat(
                    Frames.suback(p.packetId(), 1),
                    Frames.publish("retained/x", utf8("kept"), 1, true, false, 9))));
    connect(config().build());
    Recorder listener = new Recorder("retained");

    assertThat(client.subscribe("retained/#", QoS.AT_LEAST_ONCE, listener)).isEqualTo(1);

    Message m = listener.await(1, WAIT).get(0);
    assertThat(m.retain()).isTrue();
    assertThat(m.payloadAsString()).isEqualTo("kept");
    assertThat(broker.takePacket(RawPacket.PUBACK, WAIT).packetId()).isEqualTo(9);
  }

  @Test
  void subscribeWithAListenerThatTheBrokerRefusesLeavesNoListener() throws Exception {
    broker.on(RawPacket.SUBSCRIBE, Action.reply(p -> Frames.suback(p.packetId(), 0x80)));
    connect(config().build());
    Recorder listener = new Recorder("refused");

    assertThat(client.subscribe("forbidden/#", QoS.AT_LEAST_ONCE, listener)).isEqualTo(0x80);

    publish("forbidden/x", "stray", 0, 0);
    assertThat(client.deliverMessage(WAIT).payloadAsString()).isEqualTo("stray");
    assertThat(listener.count()).isZero();
    assertThat(client.removeMessageListener(listener)).isFalse();
  }

  @Test
  void subscribeWithAListenerThatTimesOutLeavesNoListener() throws Exception {
    broker.on(RawPacket.SUBSCRIBE, Action.ignore());
    connect(config().build());
    Recorder listener = new Recorder("timed-out");

    assertThatThrownBy(() -> client.subscribe("slow/#", QoS.AT_LEAST_ONCE, listener))
        .isInstanceOf(io.vmqtt.OperationTimeoutException.class);
    assertThat(client.removeMessageListener(listener)).isFalse();
  }

  @Test
  void aQos1MessageNoListenerTakesIsReportedOnceWhenNothingTakesFromDeliverMessage()
      throws Exception {
    connect(config().build());
    client.addMessageListener("known/#", new Recorder("known"));
    LogCapture.withLog(
        "io.vmqtt",
        Level.WARN,
        () -> {
          publish("stray", "1", 1, 1);
          publish("stray", "2", 1, 2);
          await().atMost(WAIT).until(() -> client.pollMessage().isPresent());
        },
        events ->
            assertThat(events)
                .extracting(ILoggingEvent::getFormattedMessage)
                .filteredOn(line -> line.contains("matches no message listener"))
                .hasSize(1)
                .allSatisfy(line -> assertThat(line).contains("QoS 1 message to 'stray'")));
  }

  @Test
  void listenersAddedBeforeConnectGetTheFirstMessages() throws Exception {
    broker.onConnect(
        Action.reply(
            Frames.connack(true, 0), Frames.publish("early", utf8("at once"), 1, false, true, 5)));
    client = MqttClient.create("fake-listeners", config().cleanSession(false).build());
    Recorder early = new Recorder("early");
    client.addMessageListener("early", early);

    client.connect(broker.uri());

    assertThat(early.await(1, WAIT))
        .extracting(Message::payloadAsString)
        .containsExactly("at once");
    assertThat(broker.takePacket(RawPacket.PUBACK, WAIT).packetId()).isEqualTo(5);
  }

  @Test
  void noThreadOfTheClientIsLeftAfterCloseWithListenersAttached() throws Exception {
    connect(config().build());
    CountDownLatch inListener = new CountDownLatch(1);
    client.addMessageListener(
        "block",
        m -> {
          inListener.countDown();
          new CountDownLatch(1).await(); // until interrupted by close()
        });
    Recorder idle = new Recorder("idle");
    client.addMessageListener("idle", idle);
    client.addConnectionListener(new io.vmqtt.ConnectionListener() {});
    publish("idle", "x", 0, 0);
    idle.await(1, WAIT);
    publish("block", "y", 1, 1);
    publish("block", "queued", 1, 2);
    assertThat(inListener.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

    client.close();

    assertThat(clientThreads()).isEmpty();
  }

  @Test
  void closeInterruptsARunningListenerAndDropsTheMessagesQueuedForIt() throws Exception {
    connect(config().build());
    CountDownLatch inListener = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    Recorder seen = new Recorder("seen");
    client.addMessageListener(
        "block",
        m -> {
          seen.onMessage(m);
          inListener.countDown();
          try {
            new CountDownLatch(1).await();
          } catch (InterruptedException e) {
            interrupted.set(true);
          }
        });
    publish("block", "1", 0, 0);
    publish("block", "2", 0, 0);
    assertThat(inListener.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

    client.close();

    assertThat(interrupted).isTrue();
    assertThat(seen.payloads()).containsExactly("1");
    assertThatThrownBy(() -> client.addMessageListener("t", m -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("client fake-listeners is closed");
  }

  @Test
  void aListenerMayCallTheClient() throws Exception {
    connect(config().build());
    client.addMessageListener(
        "ping", m -> client.publish("pong", m.payload(), QoS.AT_LEAST_ONCE, false));

    publish("ping", "hello", 1, 1);

    RawPacket pong = broker.takePacket(RawPacket.PUBLISH, WAIT);
    assertThat(pong.asPublish().topic()).isEqualTo("pong");
    assertThat(broker.takePacket(RawPacket.PUBACK, WAIT).packetId()).isEqualTo(1);
  }

  @Test
  void deliverMessageStillTimesOutWhenListenersTakeEverything() throws Exception {
    connect(config().build());
    Recorder all = new Recorder("all");
    client.addMessageListener("#", all);
    publish("a", "1", 0, 0);
    all.await(1, WAIT);
    assertThatThrownBy(() -> client.deliverMessage(QUIET)).isInstanceOf(TimeoutException.class);
  }

  /** Live threads of this test's client, virtual ones included: named after it. */
  private static List<String> clientThreads() {
    return ThreadDump.threadsNamedAfter("vmqtt-fake-listeners");
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
