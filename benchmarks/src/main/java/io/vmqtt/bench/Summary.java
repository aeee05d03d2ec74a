package io.vmqtt.bench;

import java.util.ArrayList;
import java.util.List;

/** The results of a harness run, summarised per (scenario, client, metric) over the rounds. */
final class Summary {
  private final List<RunResult> results;

  Summary(List<RunResult> results) {
    this.results = List.copyOf(results);
  }

  List<RunResult> results() {
    return results;
  }

  Stats stats(Scenario s, String client, Metric m) {
    List<Double> values = new ArrayList<>();
    for (RunResult r : results) {
      if (r.scenario() == s && r.client().equals(client) && r.metrics().containsKey(m)) {
        values.add(r.metrics().get(m));
      }
    }
    return Stats.of(values);
  }

  double median(Scenario s, String client, Metric m) {
    return stats(s, client, m).median();
  }

  /** The ratio of two clients' medians; NaN when either is missing or the reference is 0. */
  double ratio(Scenario s, Metric m, String client, String reference) {
    double r = median(s, client, m) / median(s, reference, m);
    return Double.isFinite(r) ? r : Double.NaN;
  }
}
