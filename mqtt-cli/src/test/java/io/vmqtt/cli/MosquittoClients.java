package io.vmqtt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmqtt.testkit.MosquittoBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * mosquitto_pub and mosquitto_sub as child processes, the other end of the round trips. The broker
 * must log every packet ({@code verboseLog()}), so a subscriber is known to be subscribed when the
 * broker has logged its SUBACK.
 */
final class MosquittoClients {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private MosquittoClients() {}

  /** A client id unique to this run, at most 23 characters. */
  static String id(String prefix) {
    return prefix + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt() | 0x10000000);
  }

  /** A running mosquitto_sub; {@link #output()} waits for it to exit. */
  record Subscriber(Process process) {
    /** What it printed, after it exited with status 0 (it must have been given -C). */
    String output() {
      try {
        if (!process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new AssertionError("mosquitto_sub did not exit within " + WAIT);
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("mosquitto_sub's status; output: " + out).isZero();
        return out;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** Starts {@code mosquitto_sub -t topic <args>} and returns once the broker acknowledged it. */
  static Subscriber subscribe(MosquittoBroker broker, String topic, String... args) {
    String id = id("msub");
    List<String> command =
        new ArrayList<>(
            List.of(
                "mosquitto_sub",
                "-h",
                broker.host(),
                "-p",
                Integer.toString(broker.port()),
                "-i",
                id,
                "-t",
                topic,
                "-W",
                Long.toString(WAIT.toSeconds())));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      broker.awaitLog("Sending SUBACK to " + id, WAIT);
      return new Subscriber(process);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run mosquitto_sub", e);
    }
  }

  /** Runs {@code mosquitto_pub -t topic <args>} and waits for its status 0. */
  static void publish(MosquittoBroker broker, String topic, String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                "mosquitto_pub",
                "-h",
                broker.host(),
                "-p",
                Integer.toString(broker.port()),
                "-t",
                topic));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      assertThat(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue())
          .as(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
          .isZero();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run mosquitto_pub", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
