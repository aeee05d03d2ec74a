package io.vmqtt.vthreads.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmqtt.ConnectOptions;
import io.vmqtt.ConnectionLostException;
import io.vmqtt.MqttConfig;
import io.vmqtt.MqttException;
import io.vmqtt.NotConnectedException;
import io.vmqtt.QoS;
import io.vmqtt.Subscription;
import io.vmqtt.vthreads.internal.codec.Packet;
import io.vmqtt.vthreads.internal.codec.ProtocolLevel;
import io.vmqtt.vthreads.internal.codec.PubackPacket;
import io.vmqtt.vthreads.internal.codec.PubcompPacket;
import io.vmqtt.vthreads.internal.codec.PublishPacket;
import io.vmqtt.vthreads.internal.codec.PubrelPacket;
import io.vmqtt.vthreads.internal.codec.SubackPacket;
import io.vmqtt.vthreads.internal.codec.SubscribePacket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The session without a socket, a connection or time: packets go to a recording sink, deadlines are
 * measured against a clock the test moves, and the test runs the session's tick task itself.
 */
class SessionTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private final ManualTicks ticks = new ManualTicks();

  private Session session(MqttConfig.Builder config) {
    return new Session("session-test", config.build(), NoStore.INSTANCE, ticks, clock::get);
  }

  private static ConnectionSettings window(int size) {
    MqttConfig config = MqttConfig.builder().maxInflight(size).build();
    return ConnectionSettings.mqtt311(ProtocolLevel.MQTT_3_1_1, config, ConnectOptions.defaults());
  }

  private OutboundFlow publish(Session s, int n, QoS qos) throws InterruptedException {
    byte[] payload = {(byte) n};
    return s.enqueue(
        id -> new PublishPacket("t/" + n, payload, qos, false, false, id),
        UnsentQueue.bytes("t/" + n, 1),
        qos == QoS.AT_LEAST_ONCE ? OutboundFlow.Awaiting.PUBACK : OutboundFlow.Awaiting.PUBREC,
        () -> "publish " + n,
        clock.get() + TIMEOUT.toNanos(),
        TIMEOUT);
  }

  @Test
  void flowsBeyondTheWindowWaitAndGoOutInOrderAsAcknowledgementsFreeSlots() throws Exception {
    Session s = session(MqttConfig.builder());
    RecordingSink sink = new RecordingSink();
    s.attach(sink, window(2), true, true);

    List<OutboundFlow> flows = new ArrayList<>();
    for (int n = 1; n <= 4; n++) {
      flows.add(publish(s, n, QoS.AT_LEAST_ONCE));
    }
    assertThat(sink.topics()).containsExactly("t/1", "t/2");

    PubackPacket first = new PubackPacket(flows.get(0).packetId);
    s.complete(flows.get(0), first);
    assertThat(sink.topics()).containsExactly("t/1", "t/2", "t/3");
    assertThat(flows.get(0).result.await()).isSameAs(first);

    s.complete(flows.get(1), new PubackPacket(flows.get(1).packetId));
    assertThat(sink.topics()).containsExactly("t/1", "t/2", "t/3", "t/4");
  }

  @Test
  void theSinkHearsWhetherOtherPublishesWereInFlightWhenEachWasHandedOver() throws Exception {
    Session s = session(MqttConfig.builder());
    RecordingSink sink = new RecordingSink();
    s.attach(sink, window(10), true, true);

    OutboundFlow first = publish(s, 1, QoS.AT_LEAST_ONCE);
    OutboundFlow second = publish(s, 2, QoS.AT_LEAST_ONCE);
    s.complete(first, new PubackPacket(first.packetId));
    s.complete(second, new PubackPacket(second.packetId));
    publish(s, 3, QoS.AT_LEAST_ONCE);

    // A lone sequential publisher's packet is flagged alone: the writer need not wait to gather.
    assertThat(sink.topics()).containsExactly("t/1", "t/2", "t/3");
    assertThat(sink.othersInFlight).containsExactly(false, true, false);
  }

  @Test
  void aNewConnectionGetsEveryKeptFlowAgainInOriginalOrderWithDupAndPubrelPastPubrec()
      throws Exception {
    Session s = session(MqttConfig.builder());
    s.attach(new RecordingSink(), window(10), true, true);
    OutboundFlow first = publish(s, 1, QoS.EXACTLY_ONCE);
    publish(s, 2, QoS.AT_LEAST_ONCE);
    s.released(first); // PUBREC came for the first

    s.detach(true);
    RecordingSink next = new RecordingSink();
    s.attach(next, window(10), true, true);

    assertThat(next.packets.get(0)).isEqualTo(new PubrelPacket(first.packetId));
    PublishPacket resent = (PublishPacket) next.packets.get(1);
    assertThat(resent.topic()).isEqualTo("t/2");
    assertThat(resent.dup()).isTrue();
    assertThat(next.packets).hasSize(2);
  }

  @Test
  void aCallerPastItsDeadlineIsWokenByTheTickWhileItsFlowStaysInTheSession() throws Exception {
    Session s = session(MqttConfig.builder());
    s.attach(new RecordingSink(), window(10), true, true);
    OutboundFlow flow = publish(s, 1, QoS.AT_LEAST_ONCE);

    ticks.tick(clock.get() + TIMEOUT.toNanos() - 1);
    assertThat(flow.result.isDone()).isFalse();

    ticks.tick(clock.get() + TIMEOUT.toNanos());
    assertThatThrownBy(flow.result::await).hasCauseInstanceOf(FlowTimedOut.class);
    assertThat(s.flow(flow.packetId)).as("still in the session").isSameAs(flow);
  }

  @Test
  void theTickTaskGoesOnceNothingIsLeftToWatch() throws Exception {
    Session s = session(MqttConfig.builder());
    s.attach(new RecordingSink(), window(10), true, true);
    OutboundFlow flow = publish(s, 1, QoS.AT_LEAST_ONCE);
    assertThat(ticks.tasks).hasSize(1);

    s.complete(flow, new PubackPacket(flow.packetId));
    ticks.tick(clock.get());

    assertThat(ticks.tasks).isEmpty();
  }

  @Test
  void withNoConnectionAndNoReconnectionNewFlowsAreRefused() {
    Session s = session(MqttConfig.builder());

    assertThatThrownBy(() -> publish(s, 1, QoS.AT_LEAST_ONCE))
        .isInstanceOf(NotConnectedException.class)
        .hasMessage("publish 1 failed: client session-test is not connected");
  }

  @Test
  void whileReconnectingFlowsAreQueuedAndGoOutOnTheNextConnection() throws Exception {
    Session s = session(MqttConfig.builder());
    s.attach(new RecordingSink(), window(10), true, true);
    s.detach(true);

    publish(s, 1, QoS.AT_LEAST_ONCE);
    RecordingSink next = new RecordingSink();
    s.attach(next, window(10), true, true);

    assertThat(next.topics()).containsExactly("t/1");
  }

  @Test
  void aFullQueueInBytesRefusesANewFlowWhenTheOverflowPolicyIsFail() throws Exception {
    Session s =
        session(
            MqttConfig.builder()
                .maxQueuedBytes(2 * (int) UnsentQueue.bytes("t/1", 1))
                .queueOverflow(MqttConfig.QueueOverflow.FAIL));
    s.attach(new RecordingSink(), window(1), true, true);
    publish(s, 1, QoS.AT_LEAST_ONCE); // in the window
    publish(s, 2, QoS.AT_LEAST_ONCE); // waits to be written
    publish(s, 3, QoS.AT_LEAST_ONCE); // waits to be written: the byte bound is reached

    assertThatThrownBy(() -> publish(s, 4, QoS.AT_LEAST_ONCE))
        .isInstanceOf(MqttException.class)
        .hasMessageContaining("publish 4 failed: 2 messages of")
        .hasMessageContaining("queue_overflow fail");
  }

  @Test
  void aBrokerThatKeptNoSessionGetsTheSubscriptionsFirstAndEndsQos2FlowsPastPubrec()
      throws Exception {
    Session s = session(MqttConfig.builder());
    s.attach(new RecordingSink(), window(10), true, true);
    List<Subscription> subs = List.of(Subscription.of("a/#", QoS.AT_LEAST_ONCE));
    OutboundFlow subscribe =
        s.enqueue(
            id -> new SubscribePacket(id, subs),
            0,
            OutboundFlow.Awaiting.SUBACK,
            () -> "subscribe",
            clock.get() + TIMEOUT.toNanos(),
            TIMEOUT);
    s.complete(subscribe, new SubackPacket(subscribe.packetId, List.of(1)));
    OutboundFlow released = publish(s, 1, QoS.EXACTLY_ONCE);
    s.released(released);
    publish(s, 2, QoS.AT_LEAST_ONCE);

    s.detach(true);
    RecordingSink next = new RecordingSink();
    s.attach(next, window(10), false, true);

    assertThat(next.packets.get(0)).isInstanceOf(SubscribePacket.class);
    assertThat(((SubscribePacket) next.packets.get(0)).subscriptions()).isEqualTo(subs);
    assertThat(next.topics()).containsExactly("t/2");
    assertThatThrownBy(released.result::await)
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(ConnectionLostException.class)
        .hasMessageContaining("between PUBREC and PUBCOMP");
  }

  @Test
  void stoppingFailsEveryWaiterAndDiscardingForgetsTheFlows() throws Exception {
    Session s = session(MqttConfig.builder());
    s.attach(new RecordingSink(), window(10), true, true);
    OutboundFlow flow = publish(s, 1, QoS.EXACTLY_ONCE);
    s.detach(false);

    IllegalStateException cause = new IllegalStateException("gone");
    s.stopWaiting(cause, true);

    assertThatThrownBy(flow.result::await).hasCause(cause);
    assertThat(s.flow(flow.packetId)).isNull();
    s.complete(flow, new PubcompPacket(flow.packetId)); // late: nothing happens
  }

  /** Records what the session writes. */
  private static final class RecordingSink implements PacketSink {
    final List<Packet> packets = new ArrayList<>();
    final List<Boolean> othersInFlight = new ArrayList<>();

    @Override
    public boolean sendQueued(Packet packet, boolean othersInFlight) {
      packets.add(packet);
      this.othersInFlight.add(othersInFlight);
      return true;
    }

    List<String> topics() {
      return packets.stream()
          .filter(p -> p instanceof PublishPacket)
          .map(p -> ((PublishPacket) p).topic())
          .toList();
    }
  }

  /** A tick source the test drives: it runs the registered tasks when told. */
  private static final class ManualTicks implements TickSource {
    final List<Ticker.Task> tasks = new ArrayList<>();

    @Override
    public void register(Ticker.Task task) {
      tasks.add(task);
    }

    @Override
    public void unregister(Ticker.Task task) {
      tasks.remove(task);
    }

    void tick(long now) {
      List.copyOf(tasks).forEach(t -> t.tick(now));
    }
  }
}
