package io.vmqtt.bench;

import java.util.List;

/** The median, minimum and maximum of one figure over the rounds. */
record Stats(double median, double min, double max, int n) {
  static final Stats NONE = new Stats(Double.NaN, Double.NaN, Double.NaN, 0);

  static Stats of(List<Double> values) {
    double[] v =
        values.stream().filter(d -> !Double.isNaN(d)).mapToDouble(d -> d).sorted().toArray();
    if (v.length == 0) {
      return NONE;
    }
    int mid = v.length / 2;
    double median = v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
    return new Stats(median, v[0], v[v.length - 1], v.length);
  }
}
