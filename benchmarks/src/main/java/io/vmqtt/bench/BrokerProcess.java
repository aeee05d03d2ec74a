package io.vmqtt.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The harness's private mosquitto: one process for the whole run, on a free port of 127.0.0.1, with
 * no persistence, no limits on connections, in-flight or queued messages (so it drops nothing and
 * lets 64 QoS 2 flows be outstanding), with its soft limit on open files raised to the hard limit.
 * Its log goes to a file; the "running" line tells it is ready. Its CPU time is read from {@code
 * /proc/<pid>/stat}. For the scale curve it can listen on the same port of several loopback
 * addresses (127.0.0.1, 127.0.0.2, ...): a connection is one ephemeral port of the client's per
 * destination, so spreading connections over destinations lets more of them through than one
 * address's port range allows.
 */
final class BrokerProcess implements AutoCloseable {
  private static final Pattern RUNNING = Pattern.compile("mosquitto version (\\S+) running");
  private static final String CONFIG =
      """
      listener %d 127.0.0.1
      allow_anonymous true
      max_connections -1
      max_inflight_messages 0
      max_queued_messages 0
      persistence false
      connection_messages false
      log_dest stderr
      log_type error
      log_type warning
      log_type notice
      log_type information
      user root
      """;

  private final Process process;
  private final List<String> hosts;
  private final int port;
  private final String version;
  private final long clockTicksPerSecond;

  private BrokerProcess(
      Process process, List<String> hosts, int port, String version, long clockTicks) {
    this.process = process;
    this.hosts = hosts;
    this.port = port;
    this.version = version;
    this.clockTicksPerSecond = clockTicks;
  }

  /**
   * Starts mosquitto and waits until it is running.
   *
   * @param executable the mosquitto binary
   * @param logDir where its config and log go
   */
  static BrokerProcess start(Path executable, Path logDir)
      throws IOException, InterruptedException {
    return start(executable, logDir, 1);
  }

  /**
   * Starts mosquitto listening on 127.0.0.1 to 127.0.0.{@code addresses}, one port, and waits until
   * it is running.
   */
  static BrokerProcess start(Path executable, Path logDir, int addresses)
      throws IOException, InterruptedException {
    if (addresses < 1 || addresses > 254) {
      throw new IllegalArgumentException("1 to 254 loopback addresses, not " + addresses);
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Files.createDirectories(logDir);
    Path conf = logDir.resolve("mosquitto.conf");
    List<String> hosts = new java.util.ArrayList<>();
    StringBuilder config = new StringBuilder(CONFIG.formatted(port));
    hosts.add("127.0.0.1");
    for (int i = 2; i <= addresses; i++) {
      hosts.add("127.0.0." + i);
      config.append("listener ").append(port).append(" 127.0.0.").append(i).append('\n');
    }
    Files.writeString(conf, config);
    Path log = logDir.resolve("mosquitto.log");
    String command =
        "ulimit -Sn \"$(ulimit -Hn)\" 2>/dev/null || ulimit -Sn 65536 2>/dev/null; exec '"
            + executable
            + "' -c '"
            + conf
            + "'";
    Process p = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
    CountDownLatch running = new CountDownLatch(1);
    String[] version = {"?"};
    Thread.ofPlatform()
        .daemon()
        .name("mosquitto-log")
        .start(
            () -> {
              try (BufferedReader r =
                      new BufferedReader(
                          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                  PrintWriter w = new PrintWriter(Files.newBufferedWriter(log))) {
                for (String line; (line = r.readLine()) != null; ) {
                  w.println(line);
                  w.flush();
                  Matcher m = RUNNING.matcher(line);
                  if (m.find()) {
                    version[0] = m.group(1);
                    running.countDown();
                  }
                }
              } catch (IOException e) {
                // The broker is gone; close() or the next scenario will tell.
              }
            });
    if (!running.await(10, TimeUnit.SECONDS)) {
      p.destroy();
      throw new IOException("mosquitto did not start within 10 s; see " + log);
    }
    return new BrokerProcess(p, List.copyOf(hosts), port, version[0], clockTicks());
  }

  int port() {
    return port;
  }

  /** The addresses it listens on, 127.0.0.1 first. */
  List<String> hosts() {
    return hosts;
  }

  /**
   * The most files it may have open (the soft limit of {@code /proc/<pid>/limits}, which its start
   * raised as far as allowed), each connection one; -1 if unknown.
   */
  long openFileLimit() {
    return ProcessMeter.openFileLimit(process.pid(), false);
  }

  /** The version from its "running" log line, e.g. {@code 2.0.11}. */
  String version() {
    return version;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** User plus system CPU time of the broker so far, in nanoseconds; -1 if unreadable. */
  long cpuNanos() {
    try {
      String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
      // Fields after "(comm)": state is field 3; utime and stime are fields 14 and 15.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
      return ticks * 1_000_000_000L / clockTicksPerSecond;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Stops mosquitto: SIGTERM, then SIGKILL after 5 s (or at once if interrupted). */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static long clockTicks() {
    try {
      Process p = new ProcessBuilder(List.of("getconf", "CLK_TCK")).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return Long.parseLong(out);
    } catch (IOException | NumberFormatException e) {
      return 100;
    }
  }
}
