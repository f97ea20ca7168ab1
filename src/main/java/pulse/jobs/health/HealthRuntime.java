package pulse.jobs.health;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableLongGauge;
import io.opentelemetry.context.Context;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import pulse.api.CheckEvent;

/**
 * The checks of one daemon (or one CLI preflight): built once, run by the health job, their latest
 * results kept for the API, the status page and the {@code pulse.check.up} gauge.
 */
final class HealthRuntime implements AutoCloseable {
  static final String SCOPE = "pulse.jobs.health";

  private final List<CheckDefinition> definitions;
  private final List<Check> checks;
  private final CheckRunner runner;
  private final Consumer<CheckEvent> publish;
  private final Map<String, CheckResult> latest = new LinkedHashMap<>();
  private final ObservableLongGauge up;

  /**
   * @param facts the daemon's job facts; null outside the daemon (job checks are then skipped)
   * @param publish where each result goes as a {@link CheckEvent}
   */
  HealthRuntime(List<CheckDefinition> definitions, JobFacts facts, OpenTelemetry otel, Clock clock, int parallelism,
      Consumer<CheckEvent> publish) {
    this.definitions = List.copyOf(definitions);
    this.checks = Checks.build(definitions, facts, clock);
    Meter meter = otel.getMeter(SCOPE);
    this.runner = new CheckRunner(otel.getTracer(SCOPE),
        meter.histogramBuilder("pulse.check.latency").setUnit("s").setDescription("How long each health check took").build(),
        clock, parallelism);
    this.publish = publish;
    definitions.forEach(d -> latest.put(d.name(), CheckResult.pending(d)));
    this.up = meter.gaugeBuilder("pulse.check.up").ofLongs()
        .setDescription("1 when the health check passed on its last run, 0 when it failed")
        .buildWithCallback(m -> {
          for (CheckResult r : results()) {
            if (r.ok() || r.failed()) {
              m.record(r.ok() ? 1 : 0, Attributes.of(CheckRunner.CHECK, r.name()));
            }
          }
        });
  }

  /** Runs every check once, stores and publishes the results. */
  List<CheckResult> runAll(Context parent) throws InterruptedException {
    List<CheckResult> results = runner.runAll(checks, parent);
    synchronized (latest) {
      results.forEach(r -> latest.put(r.name(), r));
    }
    for (CheckResult r : results) {
      if (!r.state().equals(CheckResult.SKIPPED)) {
        publish.accept(new CheckEvent("check:" + r.name(), r.ok(), r.ok() ? null : r.message(), r.at(), r.latency(), r.traceId()));
      }
    }
    return results;
  }

  /** The latest result of every check, in name order; pending before the first run. */
  List<CheckResult> results() {
    synchronized (latest) {
      return new ArrayList<>(latest.values());
    }
  }

  List<CheckDefinition> definitions() {
    return definitions;
  }

  @Override
  public void close() {
    up.close();
  }
}
