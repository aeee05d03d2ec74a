package io.vmqtt.cli;

import io.vmqtt.QoS;
import java.util.Locale;

/**
 * What {@code vmqtt load} measured, as text for people or one JSON object for programs.
 *
 * @param uri the broker
 * @param clients publishing clients
 * @param messages messages per client
 * @param qos their QoS
 * @param rate the requested overall rate, 0 for none
 * @param size payload bytes
 * @param connectNanos time to connect every publisher
 * @param publishNanos from the start to the last publish's return
 * @param receiveNanos from the start to the last receipt (0 or less when nothing arrived)
 * @param received messages received, duplicates included
 * @param unique distinct messages received
 * @param duplicates messages received more than once
 * @param droppedByClient QoS 0 messages the subscriber's queue had to drop
 * @param latency publish to receipt
 * @param acks publish call to its return (QoS 0: written; 1: PUBACK; 2: PUBCOMP)
 */
record Report(
    String uri,
    int clients,
    int messages,
    QoS qos,
    double rate,
    int size,
    long connectNanos,
    long publishNanos,
    long receiveNanos,
    long received,
    long unique,
    long duplicates,
    long droppedByClient,
    LatencyHistogram latency,
    LatencyHistogram acks) {

  private static final double[] PERCENTILES = {50, 90, 99, 99.9};

  long expected() {
    return (long) clients * messages;
  }

  long lost() {
    return expected() - unique;
  }

  double publishRate() {
    return perSecond(expected(), publishNanos);
  }

  double receiveRate() {
    return perSecond(received, receiveNanos);
  }

  String text() {
    StringBuilder t = new StringBuilder();
    t.append(
        String.format(
            Locale.ROOT,
            "vmqtt load: %d clients x %d messages, QoS %d, %d-byte payloads, %s, %s%n",
            clients,
            messages,
            qos.value(),
            size,
            rate == 0 ? "no rate limit" : String.format(Locale.ROOT, "%.0f msg/s", rate),
            uri));
    t.append(
        String.format(
            Locale.ROOT, "connected   %d clients in %.2f s%n", clients, connectNanos / 1e9));
    t.append(
        String.format(
            Locale.ROOT,
            "published   %d messages in %.2f s: %.0f msg/s%n",
            expected(),
            publishNanos / 1e9,
            publishRate()));
    t.append(
        String.format(
            Locale.ROOT,
            "received    %d of %d in %.2f s: %.0f msg/s%n",
            unique,
            expected(),
            Math.max(0, receiveNanos) / 1e9,
            receiveRate()));
    t.append(
        String.format(
            Locale.ROOT,
            "lost        %d (%.2f %%), duplicates %d%s%n",
            lost(),
            100.0 * lost() / expected(),
            duplicates,
            droppedByClient > 0
                ? ", dropped by the subscriber's full queue " + droppedByClient
                : ""));
    t.append(line("latency, publish to receipt, ms:", latency));
    t.append(
        line(
            switch (qos) {
              case AT_MOST_ONCE -> "publish call (until written), ms:";
              case AT_LEAST_ONCE -> "publish call (until PUBACK), ms:";
              case EXACTLY_ONCE -> "publish call (until PUBCOMP), ms:";
            },
            acks));
    return t.toString();
  }

  private static String line(String title, LatencyHistogram h) {
    StringBuilder t = new StringBuilder(String.format(Locale.ROOT, "%-34s", title));
    t.append(String.format(Locale.ROOT, " min %s", ms(h.min())));
    for (double p : PERCENTILES) {
      t.append(
          String.format(
              Locale.ROOT,
              "  p%s %s",
              label(p).length() > 2 ? "99.9" : label(p),
              ms(h.percentile(p))));
    }
    t.append(String.format(Locale.ROOT, "  max %s%n", ms(h.max())));
    return t.toString();
  }

  String json() {
    StringBuilder j = new StringBuilder("{");
    j.append("\"uri\":");
    OutputFormat.quote(uri, j);
    j.append(",\"clients\":").append(clients);
    j.append(",\"messages_per_client\":").append(messages);
    j.append(",\"qos\":").append(qos.value());
    j.append(",\"rate_limit\":").append(number(rate));
    j.append(",\"payload_bytes\":").append(size);
    j.append(",\"connect_seconds\":").append(number(connectNanos / 1e9));
    j.append(",\"published\":").append(expected());
    j.append(",\"publish_seconds\":").append(number(publishNanos / 1e9));
    j.append(",\"publish_rate\":").append(number(publishRate()));
    j.append(",\"received\":").append(unique);
    j.append(",\"receive_seconds\":").append(number(Math.max(0, receiveNanos) / 1e9));
    j.append(",\"receive_rate\":").append(number(receiveRate()));
    j.append(",\"lost\":").append(lost());
    j.append(",\"duplicates\":").append(duplicates);
    j.append(",\"dropped_by_subscriber\":").append(droppedByClient);
    j.append(",\"latency_ms\":");
    histogram(latency, j);
    j.append(",\"publish_call_ms\":");
    histogram(acks, j);
    return j.append('}').toString();
  }

  private static void histogram(LatencyHistogram h, StringBuilder j) {
    j.append("{\"min\":").append(number(h.min() / 1e6));
    for (double p : PERCENTILES) {
      j.append(",\"p").append(label(p)).append("\":").append(number(h.percentile(p) / 1e6));
    }
    j.append(",\"max\":").append(number(h.max() / 1e6)).append('}');
  }

  private static String label(double percentile) {
    return percentile == Math.rint(percentile)
        ? Long.toString((long) percentile)
        : Double.toString(percentile).replace(".", "");
  }

  private static String ms(long nanos) {
    double ms = nanos / 1e6;
    return String.format(Locale.ROOT, ms < 10 ? "%.2f" : ms < 100 ? "%.1f" : "%.0f", ms);
  }

  private static String number(double value) {
    return String.format(Locale.ROOT, "%.3f", value);
  }

  private static double perSecond(long count, long nanos) {
    return nanos <= 0 ? 0 : count * 1e9 / nanos;
  }
}
