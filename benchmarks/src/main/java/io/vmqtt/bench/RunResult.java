package io.vmqtt.bench;

import java.util.Map;

/**
 * What one child measured in one round: metrics by name (see {@link Metric}), or the error that
 * stopped it, and any note (e.g. a connection failure after some connections).
 */
record RunResult(
    String client,
    Scenario scenario,
    int round,
    Map<Metric, Double> metrics,
    String error,
    String note) {}
