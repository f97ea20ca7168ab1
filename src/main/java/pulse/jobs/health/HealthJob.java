package pulse.jobs.health;

import io.opentelemetry.context.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import pulse.api.Job;
import pulse.api.JobContext;
import pulse.api.JobFailedException;
import pulse.api.PreflightResult;
import pulse.api.Settings;

/**
 * The {@code health} job: runs every {@code PULSE_CHECK_*} check once, in parallel, and fails when
 * any check fails, naming them. Each check is also published as a {@link pulse.api.CheckEvent} for
 * the alert engine, which alerts per check.
 */
final class HealthJob implements Job {
  static final String ID = "health";
  static final String DEFAULT_SCHEDULE = "every 5m";
  static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(4);
  static final String NO_CHECKS = "no checks configured (set PULSE_CHECK_<NAME>=...)";

  private final HealthExtension family;

  HealthJob(HealthExtension family) {
    this.family = family;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String defaultSchedule() {
    return DEFAULT_SCHEDULE;
  }

  @Override
  public String description() {
    return "Runs the health checks declared as PULSE_CHECK_<NAME>";
  }

  @Override
  public Duration defaultTimeout() {
    return DEFAULT_TIMEOUT;
  }

  @Override
  public Optional<String> unavailableReason(Settings settings) {
    return CheckSyntax.parse(settings, null).checks().isEmpty() ? Optional.of(NO_CHECKS) : Optional.empty();
  }

  @Override
  public void run(JobContext ctx) throws Exception {
    HealthRuntime started = family.started().orElse(null);
    if (started != null) {
      report(ctx, started.runAll(Context.current().with(ctx.span())));
      return;
    }
    // a local run ('pulse run health' without a daemon): checks built for this run only
    try (HealthRuntime rt = HealthExtension.standalone(ctx.settings())) {
      report(ctx, rt.runAll(Context.current().with(ctx.span())));
    }
  }

  private static void report(JobContext ctx, List<CheckResult> results) {
    List<CheckResult> failed = new ArrayList<>();
    for (CheckResult r : results) {
      ctx.output(String.format("%-7s %s (%s): %s", r.state(), r.name(), r.target(), r.message()));
      ctx.summary("check." + r.name(), r.state() + ": " + r.message());
      if (r.failed()) {
        failed.add(r);
      }
    }
    ctx.summary("checks", results.size());
    ctx.summary("checks_failed", failed.size());
    if (!failed.isEmpty()) {
      throw new JobFailedException(failed.size() + " of " + results.size() + " check(s) failed: "
          + failed.stream().map(r -> r.name() + ": " + r.message()).collect(Collectors.joining("; ")));
    }
    ctx.log().info("All {} check(s) passed", results.size());
  }

  @Override
  public List<String> preflight(Settings settings) {
    return preflightResults(settings).stream().filter(r -> !r.ok()).map(PreflightResult::text).toList();
  }

  /** Runs the checks once in this process, so {@code pulse check} shows each one's state now. */
  @Override
  public List<PreflightResult> preflightResults(Settings settings) {
    List<PreflightResult> out = new ArrayList<>();
    try (HealthRuntime rt = HealthExtension.standalone(settings)) {
      for (CheckResult r : rt.runAll(Context.root())) {
        String line = "check " + r.name() + " (" + r.target() + "): " + r.message();
        out.add(r.failed() ? PreflightResult.problem(line) : PreflightResult.passed(r.state().equals(CheckResult.OK) ? line : r.state() + " " + line));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      out.add(PreflightResult.problem("interrupted while the checks ran"));
    }
    return out;
  }
}
