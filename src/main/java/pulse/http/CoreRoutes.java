package pulse.http;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import pulse.api.ApiException;
import pulse.api.ApiRequest;
import pulse.api.ApiResponse;
import pulse.api.Route;
import pulse.core.Daemon;
import pulse.core.JobNotRunnableException;
import pulse.core.JobView;
import pulse.core.UnknownJobException;
import pulse.store.RunQuery;

/** The core's own resources: health, jobs, runs. */
final class CoreRoutes {
  private final Daemon daemon;
  private final Optional<String> traceTemplate;
  private final String version;

  CoreRoutes(Daemon daemon, String version) {
    this.daemon = daemon;
    this.version = version;
    this.traceTemplate = daemon.config().traceUrl();
  }

  List<Route> routes() {
    return List.of(
        Route.get("/api/health", this::health),
        Route.get("/api/jobs", r -> ApiResponse.ok(daemon.jobs().stream().map(j -> JobJson.of(j, traceTemplate)).toList())),
        Route.get("/api/jobs/{id}", this::job),
        Route.post("/api/jobs/{id}/run", this::runNow),
        Route.get("/api/runs", this::runs),
        Route.get("/api/runs/{id}", this::run));
  }

  /** Open to everyone (no token): what a load balancer or {@code pulse status} asks. */
  private ApiResponse health(ApiRequest request) {
    boolean healthy = daemon.healthy();
    // a faulted store may be slow or closed: health answers from memory then
    List<JobView> jobs = daemon.storeFault().isPresent() ? List.of() : daemon.jobs();
    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put("enabled", jobs.stream().filter(JobView::enabled).count());
    counts.put("disabled", jobs.stream().filter(j -> !j.enabled()).count());
    counts.put("running", jobs.stream().filter(JobView::running).count());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", healthy ? "ok" : "unhealthy");
    body.put("version", version);
    body.put("started_at", daemon.startedAt());
    body.put("uptime_seconds", Duration.between(daemon.startedAt(), daemon.clock().instant()).toSeconds());
    body.put("scheduler", daemon.schedulerState());
    body.put("jobs", counts);
    daemon.storeFault().ifPresent(f -> body.put("problem", f));
    return new ApiResponse(healthy ? 200 : 503, body);
  }

  private ApiResponse job(ApiRequest request) {
    String id = request.pathParam("id");
    return daemon.job(id).map(j -> ApiResponse.ok(JobJson.of(j, traceTemplate)))
        .orElseThrow(() -> ApiException.notFound("no job with id '" + id + "'; GET /api/jobs lists them"));
  }

  private ApiResponse runNow(ApiRequest request) {
    String id = request.pathParam("id");
    try {
      long runId = daemon.runNow(id);
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("run_id", runId);
      body.put("job_id", id);
      body.put("url", "/api/runs/" + runId);
      return new ApiResponse(202, body);
    } catch (UnknownJobException e) {
      throw ApiException.notFound("no job with id '" + id + "'; GET /api/jobs lists them");
    } catch (JobNotRunnableException e) {
      throw new ApiException(409, null, e.getMessage());
    }
  }

  private ApiResponse runs(ApiRequest request) {
    String job = request.queryParam("job").filter(s -> !s.isBlank()).orElse(null);
    boolean failed = request.queryParam("failed").map(v -> bool("failed", v)).orElse(false);
    int limit = request.queryParam("limit").map(v -> intParam("limit", v, 1, RunQuery.MAX_LIMIT)).orElse(RunQuery.DEFAULT_LIMIT);
    if (job != null && daemon.job(job).isEmpty()) {
      throw ApiException.badRequest("job", "no job with id '" + job + "'; GET /api/jobs lists them");
    }
    return ApiResponse.ok(daemon.history().recent(new RunQuery(job, failed, limit)).stream()
        .map(r -> RunJson.of(r, traceTemplate)).toList());
  }

  private ApiResponse run(ApiRequest request) {
    long id = intParam("id", request.pathParam("id"), 1, Long.MAX_VALUE);
    return daemon.history().find(id).map(r -> ApiResponse.ok(RunJson.of(r, traceTemplate)))
        .orElseThrow(() -> ApiException.notFound("no run with id " + id));
  }

  private static boolean bool(String field, String v) {
    return switch (v.toLowerCase(java.util.Locale.ROOT)) {
      case "", "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default -> throw ApiException.badRequest(field, field + " must be true or false, got '" + v + "'");
    };
  }

  private static int intParam(String field, String v, int min, int max) {
    return (int) intParam(field, v, min, (long) max);
  }

  private static long intParam(String field, String v, long min, long max) {
    try {
      long n = Long.parseLong(v.trim());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // falls through to the same message
    }
    throw ApiException.badRequest(field, field + " must be a whole number from " + min + " to " + max + ", got '" + v + "'");
  }
}
