package pulse.jobs.health;

import io.opentelemetry.api.OpenTelemetry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import pulse.api.ApiException;
import pulse.api.ApiResponse;
import pulse.api.CommandContext;
import pulse.api.Extension;
import pulse.api.ExtensionContext;
import pulse.api.Job;
import pulse.api.Route;
import pulse.api.Setting;
import pulse.api.Settings;
import pulse.api.StatusSection;

/**
 * The health-check family: owns the {@code PULSE_CHECK_*} keys, validates them at startup,
 * contributes the {@code health} job, serves {@code GET /api/checks}, adds {@code pulse checks} and
 * a status-page section.
 */
public final class HealthExtension implements Extension {
  public static final String PARALLELISM = "PULSE_HEALTH_PARALLELISM";
  static final int DEFAULT_PARALLELISM = 4;
  static final int MAX_PARALLELISM = 64;

  private final HealthJob job = new HealthJob(this);
  private volatile HealthRuntime runtime;

  @Override
  public String name() {
    return "health";
  }

  @Override
  public List<Setting> settings() {
    return List.of(Setting.of(PARALLELISM, Setting.Kind.INTEGER, String.valueOf(DEFAULT_PARALLELISM),
        "how many health checks run at once"));
  }

  @Override
  public boolean ownsKey(String key) {
    return CheckSyntax.ownsKey(key);
  }

  @Override
  public List<String> validate(Settings settings) {
    return validate(settings, null);
  }

  @Override
  public List<String> validate(Settings settings, Set<String> jobIds) {
    List<String> problems = new ArrayList<>(CheckSyntax.parse(settings, jobIds).problems());
    Optional<String> p = settings.get(PARALLELISM);
    try {
      int n = p.map(v -> Integer.parseInt(v.trim())).orElse(DEFAULT_PARALLELISM);
      if (n < 1 || n > MAX_PARALLELISM) {
        problems.add(PARALLELISM + "='" + p.orElse("") + "': out of range; use a number from 1 to " + MAX_PARALLELISM);
      }
    } catch (NumberFormatException e) {
      // the core reports a non-number for a declared INTEGER setting
    }
    return problems;
  }

  @Override
  public void start(ExtensionContext ctx) {
    Instant since = ctx.clock().instant();
    JobFacts facts = new JobFacts() {
      @Override
      public Map<String, Instant> lastSuccessByJob() {
        return ctx.lastSuccessByJob();
      }

      @Override
      public Instant since() {
        return since;
      }
    };
    Settings s = ctx.settings();
    runtime = new HealthRuntime(CheckSyntax.parse(s, ctx.jobIds()).checks(), facts, ctx.openTelemetry(), ctx.clock(),
        parallelism(s), ctx::publish);
  }

  @Override
  public void stop() {
    HealthRuntime rt = runtime;
    if (rt != null) {
      rt.close();
    }
  }

  @Override
  public List<Job> jobs() {
    return List.of(job);
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get("/api/checks", req -> ApiResponse.ok(Map.of("checks", serving().results().stream().map(CheckResult::json).toList()))),
        Route.get("/api/checks/{name}", req -> ApiResponse.ok(serving().results().stream()
            .filter(r -> r.name().equals(req.pathParam("name"))).findFirst()
            .orElseThrow(() -> ApiException.notFound("no check named '" + req.pathParam("name")
                + "'; GET /api/checks lists them"))
            .json())));
  }

  @Override
  public List<Object> commands(CommandContext context) {
    return List.of(new ChecksCommand(context));
  }

  @Override
  public Optional<StatusSection> statusSection() {
    return Optional.of(new ChecksSection(() -> runtime == null ? List.of() : runtime.results()));
  }

  /** The daemon's checks once {@link #start} ran; empty in a CLI process. */
  Optional<HealthRuntime> started() {
    return Optional.ofNullable(runtime);
  }

  private HealthRuntime serving() {
    return started().orElseThrow(() -> new ApiException(503, null, "the health checks are not started yet"));
  }

  /** Checks for a process without the daemon: no spans, no metrics, no events, job checks skipped. */
  static HealthRuntime standalone(Settings settings) {
    return new HealthRuntime(CheckSyntax.parse(settings, null).checks(), null, OpenTelemetry.noop(), Clock.systemUTC(),
        parallelism(settings), e -> {});
  }

  private static int parallelism(Settings s) {
    try {
      return Math.max(1, Math.min(MAX_PARALLELISM, s.integer(PARALLELISM).orElse(DEFAULT_PARALLELISM)));
    } catch (NumberFormatException e) {
      return DEFAULT_PARALLELISM;
    }
  }
}
