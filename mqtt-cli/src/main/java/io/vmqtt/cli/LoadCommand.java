package io.vmqtt.cli;

import io.vmqtt.Message;
import io.vmqtt.MqttClient;
import io.vmqtt.MqttConfig;
import io.vmqtt.MqttException;
import io.vmqtt.QoS;
import io.vmqtt.Subscription;
import io.vmqtt.Topics;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code vmqtt load}: N publishing clients send M messages each at a QoS and an overall rate; one
 * subscriber receives them; the report gives msg/s, latency percentiles (publish to receipt, and
 * publish to acknowledgement) and losses, with a live progress bar on the error stream meanwhile.
 *
 * <p>Threads: each publisher runs on a virtual thread of its own, the subscriber on another, the
 * progress bar is redrawn by the progressbar library's thread; the main thread waits and reports. A
 * payload carries the send time ({@link System#nanoTime()}, so sender and receiver share one clock:
 * this process), the publisher's index and a sequence number, for the latency and the loss and
 * duplicate counts.
 */
@Command(
    name = "load",
    sortOptions = false,
    versionProvider = Main.Version.class,
    usageHelpAutoWidth = true,
    description = {
      "Load-test a broker: N clients publish M messages each at a QoS and rate while one"
          + " subscriber receives them; reports msg/s, latency percentiles and losses.",
      "",
      "Examples:",
      "  vmqtt load --clients 10 --messages 1000 -q 1",
      "  vmqtt load -L mqtts://broker.example --cafile ca.pem --clients 100 --rate 5000 --json",
      ""
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:the run completed; at QoS 1 and 2 every message arrived (QoS 0 losses are reported only)",
      "1:a QoS 1/2 message was lost, or the broker could not be reached or the connection failed",
      "2:a bad command line",
      "1-5:the broker refused a connection: its CONNACK return code"
    })
final class LoadCommand implements Callable<Integer> {
  /** Send time, publisher index, sequence number. */
  static final int HEADER_BYTES = 16;

  @Spec private CommandSpec spec;

  @Mixin private HelpOptions help;

  @Mixin private ConnectionOptions connection;

  @Option(
      names = {"-t", "--topic"},
      paramLabel = "<prefix>",
      description = "Publisher i sends to <prefix>/i (default: vmqtt/load/<process id>).")
  private String topic;

  @Option(
      names = "--clients",
      paramLabel = "<n>",
      defaultValue = "10",
      description = "Publishing clients, each with its own connection (default: ${DEFAULT-VALUE}).")
  private int clients;

  @Option(
      names = "--messages",
      paramLabel = "<m>",
      defaultValue = "1000",
      description = "Messages each client publishes (default: ${DEFAULT-VALUE}).")
  private int messages;

  @Option(
      names = {"-q", "--qos"},
      paramLabel = "<qos>",
      converter = Converters.Qos.class,
      defaultValue = "1",
      description = "The QoS of the messages and the subscription (default: ${DEFAULT-VALUE}).")
  private QoS qos;

  @Option(
      names = "--rate",
      paramLabel = "<msg/s>",
      defaultValue = "0",
      description =
          "All clients together publish at most this many messages per second;"
              + " 0 = as fast as the acknowledgements allow (default).")
  private double rate;

  @Option(
      names = "--size",
      paramLabel = "<bytes>",
      defaultValue = "64",
      description =
          "Payload size, at least " + HEADER_BYTES + " bytes (default: ${DEFAULT-VALUE}).")
  private int size;

  @Option(
      names = "--drain-timeout",
      paramLabel = "<seconds>",
      defaultValue = "10",
      description =
          "After publishing, wait at most this long for a missing message"
              + " (default: ${DEFAULT-VALUE}).")
  private int drainSeconds;

  @Option(
      names = "--progress",
      negatable = true,
      description =
          "Show a live progress bar on the error stream (default: when it is a terminal).")
  private Boolean progress;

  @Option(names = "--json", description = "Print the report as one JSON object.")
  private boolean json;

  private final Io io;

  LoadCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() throws InterruptedException {
    StringBuilder urlTopic = new StringBuilder();
    ConnectionOptions.Target target = connection.target("load", urlTopic, List.of("connect"));
    String prefix =
        topic != null
            ? topic
            : !urlTopic.isEmpty()
                ? urlTopic.toString()
                : "vmqtt/load/" + ProcessHandle.current().pid();
    check(prefix);
    long expected = (long) clients * messages;
    MqttConfig config =
        target
            .config()
            .autoReconnect(false)
            .incomingQueueSize((int) Math.min(Integer.MAX_VALUE, Math.max(expected, 1)))
            .build();

    Receiver receiver = new Receiver(messages);
    List<Publisher> publishers = new ArrayList<>();
    List<MqttClient> opened = new ArrayList<>();
    Logging.Trace trace = connection.debug ? Logging.packetTrace(io.err()) : Logging.off();
    try {
      MqttClient subscriber = open(target, config, target.clientId() + "-s", opened);
      subscriber.subscribe(List.of(Subscription.of(prefix + "/#", qos)));
      long connectStart = System.nanoTime();
      for (int i = 0; i < clients; i++) {
        MqttClient client = open(target, config, target.clientId() + "-" + i, opened);
        publishers.add(new Publisher(client, prefix + "/" + i, i));
      }
      long connectNanos = System.nanoTime() - connectStart;

      Thread receiving =
          Thread.ofVirtual()
              .name("vmqtt-load-receiver")
              .start(() -> receiver.run(subscriber, expected));
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (Publisher p : publishers) {
        threads.add(Thread.ofVirtual().name("vmqtt-load-" + p.index).start(() -> p.run(go)));
      }
      Progress bar =
          Progress.start(
              showProgress(),
              io.err(),
              expected,
              receiver.received::get,
              () -> publishers.stream().mapToLong(p -> p.sent).sum());
      long start = System.nanoTime();
      go.countDown();
      for (Thread t : threads) {
        t.join();
      }
      long publishEnd = System.nanoTime();
      for (Publisher p : publishers) {
        if (p.failure != null) {
          throw p.failure instanceof MqttException m
              ? Failures.of(m)
              : new CliFailure(CliFailure.ERROR, Failures.oneLine(p.failure), p.failure);
        }
      }
      receiver.awaitDone(Duration.ofSeconds(drainSeconds));
      receiving.interrupt();
      receiving.join();
      bar.close();
      if (receiver.failure.get() != null) {
        Throwable f = receiver.failure.get();
        throw f instanceof MqttException m
            ? Failures.of(m)
            : new CliFailure(CliFailure.ERROR, Failures.oneLine(f), f);
      }
      LatencyHistogram acks = new LatencyHistogram();
      publishers.forEach(p -> acks.add(p.acks));
      Report report =
          new Report(
              target.uri(),
              clients,
              messages,
              qos,
              rate,
              size,
              connectNanos,
              publishEnd - start,
              receiver.lastReceived.get() - start,
              receiver.received.get(),
              receiver.unique,
              receiver.duplicates,
              subscriber.droppedMessages(),
              receiver.latency,
              acks);
      io.out().print(json ? report.json() + "\n" : report.text());
      io.out().flush();
      long lost = expected - receiver.unique;
      if (lost > 0 && qos != QoS.AT_MOST_ONCE) {
        throw new CliFailure(
            CliFailure.ERROR,
            lost + " of " + expected + " QoS " + qos.value() + " messages were not received");
      }
      return 0;
    } catch (MqttException e) {
      throw Failures.of(e);
    } finally {
      for (MqttClient c : opened) {
        try {
          c.disconnect();
        } catch (MqttException ignored) {
          // the report or the failure is what matters; close() below frees it anyway
        }
        c.close();
      }
      trace.close();
    }
  }

  private MqttClient open(
      ConnectionOptions.Target target, MqttConfig config, String id, List<MqttClient> opened)
      throws InterruptedException {
    MqttClient client = MqttClient.create(id, config);
    opened.add(client);
    Failures.connect(client, target.uri(), target.options());
    return client;
  }

  private void check(String prefix) {
    try {
      Topics.requireValidName(prefix, "-t/--topic");
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    if (clients < 1 || clients > 10_000) {
      throw usage("--clients must be 1-10000, was " + clients);
    }
    if (messages < 1) {
      throw usage("--messages must be at least 1, was " + messages);
    }
    if (rate < 0 || Double.isNaN(rate) || Double.isInfinite(rate)) {
      throw usage("--rate must be 0 (no limit) or a positive number of msg/s, was " + rate);
    }
    if (size < HEADER_BYTES || size > 16 * 1024 * 1024) {
      throw usage("--size must be " + HEADER_BYTES + " to 16777216 bytes, was " + size);
    }
    if (drainSeconds < 0) {
      throw usage("--drain-timeout must be 0 or more seconds, was " + drainSeconds);
    }
  }

  private boolean showProgress() {
    return progress != null ? progress : io.interactive();
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  /** One publishing client; its fields are written by its thread and read after join. */
  private final class Publisher {
    final MqttClient client;
    final String topic;
    final int index;
    final LatencyHistogram acks = new LatencyHistogram();
    volatile long sent;
    Throwable failure;

    Publisher(MqttClient client, String topic, int index) {
      this.client = client;
      this.topic = topic;
      this.index = index;
    }

    void run(CountDownLatch go) {
      try {
        go.await();
        long interval = rate == 0 ? 0 : Math.round(1e9 * clients / rate);
        long first = System.nanoTime();
        for (int seq = 0; seq < messages; seq++) {
          if (interval > 0) {
            long due = first + seq * interval;
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
              LockSupport.parkNanos(wait);
            }
          }
          byte[] payload = new byte[size];
          long now = System.nanoTime();
          ByteBuffer.wrap(payload).putLong(now).putInt(index).putInt(seq);
          client.publish(topic, payload, qos, false);
          acks.record(System.nanoTime() - now);
          sent = seq + 1L;
        }
      } catch (InterruptedException e) {
        failure = e;
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        failure = e;
      }
    }
  }

  /** The subscriber's side; its histogram and counts are written by the receiving thread only. */
  private final class Receiver {
    final AtomicLong received = new AtomicLong();
    final AtomicLong lastReceived = new AtomicLong();
    final AtomicReference<Throwable> failure = new AtomicReference<>();
    final LatencyHistogram latency = new LatencyHistogram();
    final BitSet[] seen;
    final CountDownLatch done = new CountDownLatch(1);
    long unique;
    long duplicates;

    Receiver(int perPublisher) {
      seen = new BitSet[clients];
      for (int i = 0; i < clients; i++) {
        seen[i] = new BitSet(perPublisher);
      }
    }

    void run(MqttClient subscriber, long expected) {
      try {
        while (unique < expected) {
          Message m = subscriber.deliverMessage();
          long now = System.nanoTime();
          ByteBuffer payload = ByteBuffer.wrap(m.payload());
          if (m.payload().length < HEADER_BYTES) {
            continue; // not ours
          }
          long sentAt = payload.getLong();
          int publisher = payload.getInt();
          int seq = payload.getInt();
          if (publisher < 0 || publisher >= clients || seq < 0 || seq >= messages) {
            continue;
          }
          latency.record(now - sentAt);
          if (seen[publisher].get(seq)) {
            duplicates++;
          } else {
            seen[publisher].set(seq);
            unique++;
          }
          lastReceived.set(now);
          received.incrementAndGet();
        }
      } catch (InterruptedException e) {
        // the drain timeout passed: what arrived is the result
      } catch (RuntimeException e) {
        failure.set(e);
      } finally {
        done.countDown();
      }
    }

    /** Waits until every message arrived, or none arrived for {@code idle}. */
    void awaitDone(Duration idle) throws InterruptedException {
      long last = -1;
      while (!done.await(idle.toMillis(), TimeUnit.MILLISECONDS)) {
        long now = received.get();
        if (now == last) {
          return; // nothing new for a whole drain period
        }
        last = now;
      }
    }
  }
}
