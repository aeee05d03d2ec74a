package io.vmqtt.bench;

import io.vmqtt.bench.ScaleCurve.Point;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The scale curve's PNG: four line charts in a 2 × 2 grid, x = connections, one line per client —
 * connect rate, heap per connection, RSS beyond heap per connection, keep-alive CPU per connection
 * per period. Connect rate and heap have linear y axes from 0, so that a flat line looks flat and a
 * rising one rises; RSS and keep-alive CPU have logarithmic ones, because Paho's figures (thread
 * stacks and a timer thread per connection) are ten times the others' and would flatten them.
 */
final class ScaleChart {
  private static final int WIDTH = 700;
  private static final int HEIGHT = 430;
  private static final int TITLE = 34;
  private static final Map<String, Color> COLORS =
      Map.of(
          "vmqtt", new Color(0x1E88E5),
          "vmqtt-listener", new Color(0x1E88E5),
          "paho", new Color(0xF4511E),
          "hivemq", new Color(0x43A047));

  private final ScaleReport report;
  private final HarnessOptions options;
  private final String title;

  ScaleChart(ScaleReport report, HarnessOptions options, String title) {
    this.report = report;
    this.options = options;
    this.title = title;
  }

  void write(Path png) throws IOException {
    int ka = options.keepAlive();
    BufferedImage all =
        new BufferedImage(2 * WIDTH, TITLE + 2 * HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = all.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, all.getWidth(), all.getHeight());
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    g.drawString(title, 12, 23);
    g.drawImage(
        panel(
            "Connect + subscribe per second (higher is better)",
            "connections/s",
            1,
            false,
            Point::connectPerSecond),
        0,
        TITLE,
        null);
    g.drawImage(
        panel(
            "Heap per connection, KB (lower is better)",
            "KB",
            1e-3,
            false,
            Point::heapPerConnection),
        WIDTH,
        TITLE,
        null);
    g.drawImage(
        panel(
            "RSS beyond heap per connection, KB (lower is better; log scale)",
            "KB",
            1e-3,
            true,
            Point::rssPerConnection),
        0,
        TITLE + HEIGHT,
        null);
    g.drawImage(
        panel(
            "Keep-alive CPU per connection per " + ka + " s period, µs (lower is better; log)",
            "µs",
            1,
            true,
            p -> p.keepAliveCpuMicros(ka)),
        WIDTH,
        TITLE + HEIGHT,
        null);
    g.dispose();
    ImageIO.write(all, "png", png.toFile());
  }

  private BufferedImage panel(
      String name, String yTitle, double factor, boolean log, ToDoubleFunction<Point> metric) {
    XYChart chart =
        new XYChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(name)
            .xAxisTitle("connections in one JVM")
            .yAxisTitle(yTitle)
            .build();
    var st = chart.getStyler();
    st.setChartBackgroundColor(Color.WHITE);
    // Below the plot: inside it, the legend covered Paho's points at small counts.
    st.setLegendPosition(Styler.LegendPosition.OutsideS);
    st.setLegendLayout(Styler.LegendLayout.Horizontal);
    st.setLegendBorderColor(Color.WHITE);
    if (log) {
      st.setYAxisLogarithmic(true);
    } else {
      st.setYAxisMin(0.0);
    }
    st.setXAxisMin(0.0);
    st.setXAxisDecimalPattern("#,##0");
    st.setYAxisDecimalPattern("#,##0.#");
    st.setMarkerSize(8);
    for (String client : options.clients()) {
      List<Point> ps = report.points(client);
      if (ps.isEmpty()) {
        continue;
      }
      double[] x = ps.stream().mapToDouble(Point::connected).toArray();
      // A log axis takes no 0 (a keep-alive CPU below the clock's resolution): shown at 0.1.
      double[] y =
          ps.stream()
              .mapToDouble(p -> metric.applyAsDouble(p) * factor)
              .map(v -> log ? Math.max(v, 0.1) : v)
              .toArray();
      XYSeries s = chart.addSeries(ReportWriter.label(client), x, y);
      Color c = COLORS.getOrDefault(client, Color.GRAY);
      s.setLineColor(c);
      s.setMarkerColor(c);
      s.setMarker(SeriesMarkers.CIRCLE);
      s.setLineStyle(new BasicStroke(2.5f));
    }
    return BitmapEncoder.getBufferedImage(chart);
  }
}
