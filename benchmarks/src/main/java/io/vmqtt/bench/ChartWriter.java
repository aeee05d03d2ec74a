package io.vmqtt.bench;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.style.Styler;

/**
 * The report's PNG: two bar charts, one above the other — throughput relative to the raw-socket
 * reference (higher is better) and client CPU per message (lower is better) — per scenario and
 * client, medians of the run.
 */
final class ChartWriter {
  private static final int WIDTH = 1100;
  private static final int HEIGHT = 480;
  private static final Color[] COLORS = {
    new Color(0x9E9E9E), new Color(0x1E88E5), new Color(0xF4511E), new Color(0x43A047)
  };

  private final Summary summary;
  private final List<String> clients;
  private final List<Scenario> scenarios;
  private final String subtitle;

  ChartWriter(Summary summary, HarnessOptions options, String subtitle) {
    this.summary = summary;
    this.clients = options.clients();
    this.scenarios = options.scenarios().stream().filter(s -> s != Scenario.CONNECTIONS).toList();
    this.subtitle = subtitle;
  }

  void write(Path png) throws IOException {
    if (scenarios.isEmpty()) {
      return;
    }
    BufferedImage top =
        BitmapEncoder.getBufferedImage(
            chart(
                "Throughput relative to the raw-socket client (higher is better) — " + subtitle,
                "msg/s ÷ raw msg/s",
                Metric.MSG_PER_SEC,
                true));
    BufferedImage bottom =
        BitmapEncoder.getBufferedImage(
            chart(
                "Client CPU per message, µs (lower is better)",
                "µs of process CPU per message",
                Metric.CPU_US_PER_MSG,
                false));
    BufferedImage both = new BufferedImage(WIDTH, 2 * HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = both.createGraphics();
    g.drawImage(top, 0, 0, null);
    g.drawImage(bottom, 0, HEIGHT, null);
    g.dispose();
    ImageIO.write(both, "png", png.toFile());
  }

  private CategoryChart chart(String title, String yTitle, Metric metric, boolean relative) {
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(title)
            .yAxisTitle(yTitle)
            .build();
    CategoryStyler st = chart.getStyler();
    st.setLegendPosition(Styler.LegendPosition.OutsideE);
    st.setChartBackgroundColor(Color.WHITE);
    st.setPlotGridVerticalLinesVisible(false);
    st.setYAxisDecimalPattern(relative ? "0.00" : "0.0");
    st.setLabelsVisible(true);
    st.setLabelsFontColorAutomaticEnabled(false);
    st.setLabelsFontColor(Color.DARK_GRAY);
    st.setLabelsRotation(90);
    List<String> x = scenarios.stream().map(Scenario::id).toList();
    for (int i = 0; i < clients.size(); i++) {
      String c = clients.get(i);
      List<Double> y = new ArrayList<>();
      for (Scenario s : scenarios) {
        double v = relative ? summary.ratio(s, metric, c, "raw") : summary.median(s, c, metric);
        y.add(Double.isFinite(v) ? v : 0.0); // missing: the table says "—"
      }
      chart.addSeries(ReportWriter.label(c), x, y).setFillColor(COLORS[i % COLORS.length]);
    }
    return chart;
  }
}
