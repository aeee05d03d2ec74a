package io.vmqtt.cli;

import io.vmqtt.Connack;
import io.vmqtt.ConnectException;
import io.vmqtt.Message;
import io.vmqtt.MqttClient;
import io.vmqtt.PublishResult;
import io.vmqtt.QoS;
import io.vmqtt.Subscription;
import io.vmqtt.testkit.EmbeddedBroker;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs the three examples of hbmqtt's {@code MQTTClient} documentation as blocking Java code:
 *
 * <ol>
 *   <li>the subscriber ({@code uptime_coro}): subscribes to {@code $SYS/broker/uptime} (QoS 1),
 *       {@code $SYS/broker/load/#} (QoS 2) and the demo topic {@code a/b} (QoS 2), prints each
 *       message as {@code N: topic => payload}, then unsubscribes and disconnects. It runs on its
 *       own virtual thread, concurrently with the publishers;
 *   <li>the sequential publisher ({@code test_coro2}): QoS 0, 1 and 2 to {@code a/b}, each {@code
 *       publish} returning before the next starts;
 *   <li>the concurrent publisher ({@code test_coro}): the same three publishes from three virtual
 *       threads at once, so their flows overlap on one connection.
 * </ol>
 *
 * <p>Every packet appears on the {@code io.vmqtt.trace} logger, which the demo's {@code
 * DemoCommand} shows. Without a broker URL, an {@link EmbeddedBroker} is started.
 *
 * <p>Threads: {@link #run} and the publishers run on the calling thread; the subscriber on a
 * virtual thread of its own; the concurrent publisher on three more. Not for use by several threads
 * at once.
 */
public final class Demo {

  static final String DEMO_TOPIC = "a/b";

  /** How long the subscriber waits for each message before giving up. */
  static final Duration MESSAGE_WAIT = Duration.ofSeconds(10);

  /** hbmqtt's two {@code $SYS} subscriptions, and the demo topic so the publishers are heard. */
  static final List<Subscription> SUBSCRIPTIONS =
      List.of(
          Subscription.of("$SYS/broker/uptime", QoS.AT_LEAST_ONCE),
          Subscription.of("$SYS/broker/load/#", QoS.EXACTLY_ONCE),
          Subscription.of(DEMO_TOPIC, QoS.EXACTLY_ONCE));

  /** Bound on waiting for another thread's MQTT calls, on top of the client's own timeouts. */
  private static final Duration THREAD_WAIT = Duration.ofSeconds(90);

  private final PrintStream out;
  private final PrintStream err;

  Demo(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /**
   * Runs the three examples against the broker at {@code brokerUrl}, or an embedded one.
   *
   * @param brokerUrl the broker, or empty for an embedded Moquette broker
   * @param count the messages on {@value #DEMO_TOPIC} the subscriber waits for
   * @return 0 when every example completed and the subscriber got its messages, else 1 after one
   *     line on the error stream saying what failed
   * @throws InterruptedException when the calling thread is interrupted
   */
  int run(Optional<String> brokerUrl, int count) throws InterruptedException {
    out.println(
        "vmqtt demo on Java " + Runtime.version() + " (" + System.getProperty("java.home") + ")");
    EmbeddedBroker broker = null;
    try {
      String url;
      if (brokerUrl.isPresent()) {
        url = brokerUrl.get();
        out.println("Broker: " + url);
      } else {
        broker = EmbeddedBroker.start();
        url = broker.uri();
        out.println(
            "Broker: embedded Moquette at "
                + url
                + " (the embedded broker publishes no $SYS topics)");
      }
      runExamples(url, count);
      out.println();
      out.println("Done.");
      return 0;
    } catch (DemoFailure e) {
      err.println("vmqtt demo: " + e.getMessage()); // already says it all, in one line
      return 1;
    } catch (RuntimeException e) { // MqttException, a bad URI, no engine, no free port...
      err.println("vmqtt demo: " + Failures.oneLine(e));
      return 1;
    } finally {
      if (broker != null) {
        broker.close();
      }
    }
  }

  private void runExamples(String url, int count) throws InterruptedException {
    heading(
        "1. Subscriber (hbmqtt's uptime_coro) on its own virtual thread, waiting for "
            + count
            + " messages on "
            + DEMO_TOPIC);
    CompletableFuture<Void> subscribed = new CompletableFuture<>();
    CompletableFuture<Void> finished = new CompletableFuture<>();
    Thread subscriber =
        Thread.ofVirtual()
            .name("demo-subscriber")
            .start(
                () -> {
                  try {
                    subscriber(url, count, subscribed);
                    finished.complete(null);
                  } catch (Throwable t) {
                    subscribed.completeExceptionally(t);
                    finished.completeExceptionally(t);
                  }
                });
    try {
      await(subscribed, "the subscriber to subscribe");

      heading("2. Sequential publisher (hbmqtt's test_coro2): QoS 0, 1, 2 one after the other");
      sequentialPublisher(url);

      heading(
          "3. Concurrent publisher (hbmqtt's test_coro): QoS 0, 1, 2 from three virtual threads");
      concurrentPublisher(url);

      await(finished, "the subscriber to receive its messages");
    } finally {
      subscriber.interrupt(); // no-op when it has finished; ends its wait when a publisher failed
      subscriber.join(THREAD_WAIT);
    }
  }

  /** hbmqtt's {@code uptime_coro}, on the subscriber's virtual thread. */
  private void subscriber(String url, int count, CompletableFuture<Void> subscribed)
      throws InterruptedException {
    try (MqttClient client = MqttClient.create()) {
      connect(client, url, "subscriber");
      List<Integer> codes = client.subscribe(SUBSCRIPTIONS);
      out.println("subscriber: SUBACK return codes " + codes + " (granted QoS; 128 = refused)");
      subscribed.complete(null);

      int onDemoTopic = 0;
      for (int i = 1; onDemoTopic < count; i++) {
        Message message;
        try {
          message = client.deliverMessage(MESSAGE_WAIT);
        } catch (TimeoutException e) {
          throw new DemoFailure(
              "the subscriber received "
                  + onDemoTopic
                  + " of "
                  + count
                  + " messages on "
                  + DEMO_TOPIC
                  + "; none arrived for "
                  + MESSAGE_WAIT.toSeconds()
                  + " s");
        }
        out.println(i + ": " + message.topic() + " => " + message.payloadAsString());
        if (message.topic().equals(DEMO_TOPIC)) {
          onDemoTopic++;
        }
      }
      List<String> filters = SUBSCRIPTIONS.stream().map(Subscription::topicFilter).toList();
      client.unsubscribe(filters);
      out.println("subscriber: unsubscribed from " + filters);
      client.disconnect();
      out.println("subscriber: disconnected");
    }
  }

  /** hbmqtt's {@code test_coro2}: each publish returns when its flow is complete. */
  private void sequentialPublisher(String url) throws InterruptedException {
    try (MqttClient client = MqttClient.create()) {
      connect(client, url, "sequential publisher");
      for (QoS qos : QoS.values()) {
        PublishResult result = client.publish(DEMO_TOPIC, payload(qos), qos, false);
        out.println("sequential publisher: " + describe(result));
      }
      out.println("sequential publisher: messages published");
      client.disconnect();
    }
  }

  /** hbmqtt's {@code test_coro}: three publishes in flight at once on one connection. */
  private void concurrentPublisher(String url) throws InterruptedException {
    try (MqttClient client = MqttClient.create()) {
      connect(client, url, "concurrent publisher");
      List<Future<PublishResult>> flows = new ArrayList<>();
      try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
        CountDownLatch go = new CountDownLatch(1);
        for (QoS qos : QoS.values()) {
          flows.add(
              threads.submit(
                  () -> {
                    go.await();
                    return client.publish(DEMO_TOPIC, payload(qos), qos, false);
                  }));
        }
        go.countDown();
        for (Future<PublishResult> flow : flows) {
          out.println("concurrent publisher: " + describe(await(flow, "a concurrent publish")));
        }
      }
      out.println("concurrent publisher: messages published");
      client.disconnect();
    }
  }

  private void connect(MqttClient client, String url, String role) throws InterruptedException {
    Connack connack;
    try {
      connack = client.connect(url);
    } catch (ConnectException e) {
      throw new DemoFailure(
          e.isRefusal()
              ? "the broker at " + url + " refused the " + role + ": CONNACK " + Failures.refusal(e)
              : "cannot connect to " + url + ": " + Failures.oneLine(rootCause(e)),
          e);
    }
    out.println(
        role
            + ": connected as "
            + client.clientId()
            + ", CONNACK "
            + connack.returnCode()
            + " ("
            + connack.reasonCode().description()
            + ")");
  }

  private void heading(String text) {
    out.println();
    out.println("== " + text);
  }

  static byte[] payload(QoS qos) {
    return ("TEST MESSAGE WITH QOS_" + qos.value()).getBytes(StandardCharsets.UTF_8);
  }

  static String describe(PublishResult result) {
    return switch (result.qos()) {
      case AT_MOST_ONCE -> "QoS 0 publish returned when queued for writing (QoS 0 has no ack)";
      case AT_LEAST_ONCE -> "QoS 1 publish returned on PUBACK, packet id " + result.packetId();
      case EXACTLY_ONCE -> "QoS 2 publish returned on PUBCOMP, packet id " + result.packetId();
    };
  }

  private static Throwable rootCause(Throwable e) {
    Throwable root = e;
    for (int depth = 0; root.getCause() != null && depth < 10; depth++) {
      root = root.getCause();
    }
    return root;
  }

  private static <T> T await(Future<T> future, String what) throws InterruptedException {
    try {
      return future.get(THREAD_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof InterruptedException i) {
        throw i;
      }
      throw new DemoFailure(
          "failed waiting for " + what + ": " + Failures.oneLine(e.getCause()), e);
    } catch (TimeoutException e) {
      throw new DemoFailure(
          "gave up waiting for " + what + " after " + THREAD_WAIT.toSeconds() + " s");
    }
  }

  /** A failure of the demo, reported as one line. */
  static final class DemoFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DemoFailure(String message) {
      super(message);
    }

    DemoFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
