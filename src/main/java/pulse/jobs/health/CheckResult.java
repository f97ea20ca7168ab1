package pulse.jobs.health;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The latest state of one check.
 *
 * @param state {@code ok}, {@code failed}, {@code skipped} (cannot be judged here, such as a job
 *     check outside the daemon) or {@code pending} (not run yet since start)
 * @param message what was seen (ok) or what is wrong (failed); never a secret
 * @param at when it was observed; null while pending
 * @param latency how long the probe took; null while pending
 * @param traceId the trace of the run that observed it; may be null
 */
record CheckResult(String name, String kind, String target, String state, String message, Instant at,
    Duration latency, String traceId) {
  static final String OK = "ok";
  static final String FAILED = "failed";
  static final String SKIPPED = "skipped";
  static final String PENDING = "pending";

  static CheckResult pending(CheckDefinition d) {
    return new CheckResult(d.name(), d.kind().label(), d.target(), PENDING, "not run yet", null, null, null);
  }

  boolean ok() {
    return state.equals(OK);
  }

  boolean failed() {
    return state.equals(FAILED);
  }

  /** The JSON shape of {@code GET /api/checks}, snake_case and plain values. */
  Map<String, Object> json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("source", "check:" + name);
    m.put("kind", kind);
    m.put("target", target);
    m.put("state", state);
    m.put("message", message);
    m.put("checked_at", at == null ? null : at.toString());
    m.put("latency_ms", latency == null ? null : latency.toMillis());
    m.put("trace_id", traceId);
    return m;
  }
}
