package io.vmqtt.it.fake;

import static io.vmqtt.it.fake.ClientSupport.WAIT;
import static io.vmqtt.it.fake.ClientSupport.config;
import static org.assertj.core.api.Assertions.assertThat;

import io.vmqtt.ConnectionState;
import io.vmqtt.Message;
import io.vmqtt.MqttClient;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 14, item 5: a healthy slow link is not a dead one. While a long PUBLISH arrives a few bytes
 * at a time, the broker's PINGRESP queues behind it; the client used to declare "no PINGRESP (nor
 * any packet)" after 1.5 × keep-alive and drop the connection. Bytes received are a sign of life.
 */
class SlowLinkTest {

  @Test
  @Timeout(value = 1, unit = TimeUnit.MINUTES)
  void aPublishTricklingInOverSeveralKeepAliveIntervalsKeepsTheConnectionAndArrivesWhole()
      throws Exception {
    byte[] payload = new byte[120];
    Arrays.fill(payload, (byte) 'x');
    byte[] publish = Frames.publish("slow", payload, 0, false, false, 0);
    CountDownLatch trickled = new CountDownLatch(1);
    ScheduledExecutorService link = Executors.newSingleThreadScheduledExecutor();
    try (FakeBroker broker = FakeBroker.start();
        MqttClient client =
            MqttClient.create(
                "slow-link",
                config().keepAlive(Duration.ofSeconds(1)).pingDelay(Duration.ZERO).build())) {
      // PINGRESPs wait until the PUBLISH is through, as on a link that carries one byte stream.
      broker.on(RawPacket.PINGREQ, Action.holdUntil(trickled));
      client.connect(broker.uri());

      // 4 bytes every 100 ms: the PUBLISH takes over 3 s, three keep-alive intervals.
      AtomicInteger sent = new AtomicInteger();
      link.scheduleAtFixedRate(
          () -> {
            int from = sent.get();
            if (from >= publish.length) {
              trickled.countDown();
              return;
            }
            int to = Math.min(publish.length, from + 4);
            broker.sendRaw(Arrays.copyOfRange(publish, from, to));
            sent.set(to);
          },
          0,
          100,
          TimeUnit.MILLISECONDS);

      Message m = client.deliverMessage(WAIT);
      assertThat(m.topic()).isEqualTo("slow");
      assertThat(m.payload()).isEqualTo(payload);
      assertThat(trickled.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
      assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
      assertThat(broker.connectionCount()).isEqualTo(1);
      client.ping(); // the link is healthy: the held PINGRESPs came, and a new one comes
    } finally {
      link.shutdownNow();
    }
  }
}
