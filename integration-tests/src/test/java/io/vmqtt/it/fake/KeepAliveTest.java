package io.vmqtt.it.fake;

import static io.vmqtt.it.fake.ClientSupport.WAIT;
import static io.vmqtt.it.fake.ClientSupport.config;
import static io.vmqtt.it.fake.ClientSupport.messages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.vmqtt.ConnectionLostException;
import io.vmqtt.Message;
import io.vmqtt.MqttClient;
import io.vmqtt.OperationTimeoutException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Keep-alive PINGREQs and ping(), against a broker whose PINGRESP is late or missing. */
class KeepAliveTest {
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

  @Test
  void aMissingPingrespLosesTheConnectionAndWakesAWaitingDeliverMessage() throws Exception {
    broker.on(RawPacket.PINGREQ, Action.ignore());
    client =
        MqttClient.create(
            "fake-keepalive",
            config().keepAlive(Duration.ofSeconds(1)).pingDelay(Duration.ZERO).build());
    client.connect(broker.uri());
    assertThat(broker.takePacket(RawPacket.CONNECT, WAIT).asConnect().keepAliveSeconds())
        .isEqualTo(1);
    BackgroundCall<Message> delivery = BackgroundCall.start("deliver", client::deliverMessage);
    delivery.awaitBlocked();

    RawPacket pingreq = broker.takePacket(RawPacket.PINGREQ, WAIT);
    assertThat(pingreq.flags()).isZero();
    assertThat(pingreq.body()).isEmpty();

    await("client.isConnected() to turn false").atMost(WAIT).until(() -> !client.isConnected());
    Throwable failure = delivery.failure();
    assertThat(failure).isInstanceOf(ConnectionLostException.class);
    assertThat(messages(failure)).containsPattern("(?i)pingresp|keep.?alive");
    assertThat(broker.awaitConnectionClosed(WAIT)).as("the client closed the socket").isTrue();
  }

  @Test
  void pingReturnsWhenPingrespArrives() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    broker.on(RawPacket.PINGREQ, Action.holdUntil(release));
    client =
        MqttClient.create("fake-ping", config().operationTimeout(Duration.ofSeconds(30)).build());
    client.connect(broker.uri());
    broker.takePacket(RawPacket.CONNECT, WAIT);

    BackgroundCall<Void> ping =
        BackgroundCall.start(
            "ping",
            () -> {
              client.ping();
              return null;
            });
    broker.takePacket(RawPacket.PINGREQ, WAIT);
    ping.awaitBlocked();
    assertThat(ping.isDone()).as("ping() returned before PINGRESP").isFalse();

    release.countDown();

    ping.result();
    assertThat(client.isConnected()).isTrue();
  }

  @Test
  void pingWithoutPingrespFailsWithAnOperationTimeoutOrALostConnection() throws Exception {
    broker.on(RawPacket.PINGREQ, Action.ignore());
    client = MqttClient.create("fake-ping", config().build());
    client.connect(broker.uri());

    Throwable failure = catchThrowable(client::ping);

    // Whether a user ping's missing PINGRESP is a timeout or a dead connection is the engine's
    // choice; either way ping() must not return, nor wait without bound.
    assertThat(failure)
        .isInstanceOfAny(OperationTimeoutException.class, ConnectionLostException.class);
    assertThat(broker.takePacket(RawPacket.PINGREQ, WAIT).body()).isEmpty();
  }
}
