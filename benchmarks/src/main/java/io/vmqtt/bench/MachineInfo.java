package io.vmqtt.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Where and when the figures were measured, for the report's header. */
record MachineInfo(
    String date, int cpus, String cpuModel, String memory, String os, String jdk, String load) {

  static MachineInfo current() {
    String model = "?";
    String memory = "?";
    try {
      model =
          Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
              .filter(l -> l.startsWith("model name"))
              .map(l -> l.substring(l.indexOf(':') + 1).trim())
              .findFirst()
              .orElse("?");
      memory =
          Files.readAllLines(Path.of("/proc/meminfo")).stream()
              .filter(l -> l.startsWith("MemTotal:"))
              .map(
                  l ->
                      String.format(
                          Locale.ROOT,
                          "%.1f GiB",
                          Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0))
              .findFirst()
              .orElse("?");
    } catch (IOException | RuntimeException e) {
      // Not Linux: unknown.
    }
    return new MachineInfo(
        ZonedDateTime.now(ZoneOffset.UTC)
            .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")),
        Runtime.getRuntime().availableProcessors(),
        model,
        memory,
        System.getProperty("os.name") + " " + System.getProperty("os.version"),
        System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"),
        loadAverage());
  }

  /** The 1, 5 and 15 minute load averages from {@code /proc/loadavg}, e.g. "0.52 0.40 0.31". */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  /** One line: "2 CPUs (AMD EPYC), 23.4 GiB RAM, Linux 6.1; JDK …". */
  String describe() {
    return cpus + " CPUs (" + cpuModel + "), " + memory + " RAM, " + os + "; JDK " + jdk;
  }
}
