package pulse.jobs.prompt;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import pulse.api.ApiException;
import pulse.api.ApiRequest;
import pulse.api.ApiResponse;
import pulse.api.Route;

/** The prompt queue's HTTP API. Handlers are small; the queue does the work. */
final class PromptRoutes {
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 1000;

  /** What the handlers need once the extension has started. */
  record Live(PromptQueue queue, Runnable wake, Clock clock, ZoneId zone) {}

  private final Supplier<Live> live;

  PromptRoutes(Supplier<Live> live) {
    this.live = live;
  }

  List<Route> routes() {
    return List.of(
        Route.post("/api/pulse/schedule", this::schedule),
        Route.post("/api/pulse/trigger", this::schedule),
        Route.get("/api/pulse/upcoming", this::upcoming),
        Route.get("/api/pulse/recent", this::recent),
        Route.get("/api/pulse/{id}", this::show),
        Route.delete("/api/pulse/{id}", this::cancel),
        Route.get("/api/status", this::status));
  }

  private Live live() {
    Live l = live.get();
    if (l == null) {
      throw new ApiException(503, null, "the prompt queue is not running in this process");
    }
    return l;
  }

  ApiResponse schedule(ApiRequest req) {
    Live l = live();
    Instant now = l.clock().instant();
    NewPulse p = PulseRequest.parse(req.body(), req.traceparent(), now, l.zone());
    PromptPulse stored = l.queue().insert(p, now); // committed: acknowledged means durable
    if (!stored.scheduledAt().isAfter(now.plusSeconds(1))) {
      l.wake().run();
    }
    return ApiResponse.created(stored.toJson());
  }

  ApiResponse upcoming(ApiRequest req) {
    return ApiResponse.ok(live().queue().upcoming(limit(req)).stream().map(PromptPulse::toJson).toList());
  }

  ApiResponse recent(ApiRequest req) {
    return ApiResponse.ok(live().queue().recent(limit(req)).stream().map(PromptPulse::toJson).toList());
  }

  ApiResponse show(ApiRequest req) {
    String id = req.pathParam("id");
    if ("upcoming".equals(id)) {
      return upcoming(req); // in case the router tries {id} before the literal path
    }
    if ("recent".equals(id)) {
      return recent(req);
    }
    return ApiResponse.ok(find(live(), id).toJson());
  }

  ApiResponse cancel(ApiRequest req) {
    Live l = live();
    PromptPulse p = find(l, req.pathParam("id"));
    if (l.queue().cancel(p.id(), l.clock().instant())) {
      return ApiResponse.ok(find(l, String.valueOf(p.id())).toJson());
    }
    PromptPulse now = find(l, String.valueOf(p.id()));
    String why = now.status() == PulseStatus.PROCESSING
        ? "pulse " + p.id() + " is running; only pending pulses can be cancelled"
        : "pulse " + p.id() + " is already " + now.status().label();
    throw new ApiException(409, "id", why);
  }

  ApiResponse status(ApiRequest req) {
    Live l = live();
    Instant now = l.clock().instant();
    PromptQueue.Finished hour = l.queue().finishedSince(now.minus(Duration.ofHours(1)));
    PromptQueue.Finished day = l.queue().finishedSince(now.minus(Duration.ofHours(24)));
    long dayAll = day.completed() + day.failed();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("queue", l.queue().countByStatus());
    m.put("next_due", l.queue().nextDue().map(Instant::toString).orElse(null));
    m.put("executed_last_hour", hour.completed() + hour.failed());
    m.put("executed_per_hour_24h", round(dayAll / 24.0));
    m.put("failure_rate_24h", dayAll == 0 ? 0.0 : round((double) day.failed() / dayAll));
    m.put("average_run_seconds_24h", round(day.averageMillis() / 1000.0));
    return ApiResponse.ok(m);
  }

  private static double round(double d) {
    return Math.round(d * 1000.0) / 1000.0;
  }

  private static PromptPulse find(Live l, String id) {
    long n;
    try {
      n = Long.parseLong(id);
    } catch (NumberFormatException e) {
      throw new ApiException(404, "id", "no pulse '" + id + "'; pulse ids are numbers");
    }
    return l.queue().find(n).orElseThrow(() -> new ApiException(404, "id", "no pulse " + n));
  }

  private static int limit(ApiRequest req) {
    String v = req.queryParam("limit").orElse(String.valueOf(DEFAULT_LIMIT));
    try {
      int n = Integer.parseInt(v.trim());
      if (n >= 1 && n <= MAX_LIMIT) {
        return n;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw ApiException.badRequest("limit", "limit '" + v + "' must be a number from 1 to " + MAX_LIMIT);
  }
}
