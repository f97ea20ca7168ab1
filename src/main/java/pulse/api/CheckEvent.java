package pulse.api;

import java.time.Duration;
import java.time.Instant;

/**
 * The result of one health signal that is not a job run, such as one health check, published with
 * {@link ExtensionContext#publish} so that every extension (the alert engine among them) sees it.
 *
 * @param source a stable name such as {@code check:web}; alerts are keyed by it
 * @param ok true when healthy
 * @param error what is wrong, redacted; null when ok
 * @param at when the result was observed
 * @param latency how long the check took; may be null
 * @param traceId the trace of the run that observed it; may be null
 * @param failuresToAlert consecutive failures that open an alert for this source, as its family
 *     judges it (a broken replica table: 1); 0 for the alert engine's rule (PULSE_ALERT_FAILURES, or
 *     the source's own setting). An operator's per-source setting wins over both.
 */
public record CheckEvent(String source, boolean ok, String error, Instant at, Duration latency, String traceId,
    int failuresToAlert) {
  public CheckEvent {
    if (source == null || source.indexOf(':') < 1) {
      throw new IllegalArgumentException("an alert source is <kind>:<name>, such as check:web, not " + source);
    }
    if (failuresToAlert < 0) {
      throw new IllegalArgumentException("failuresToAlert is 0 (the default) or more, not " + failuresToAlert);
    }
  }

  public CheckEvent(String source, boolean ok, String error, Instant at, Duration latency, String traceId) {
    this(source, ok, error, at, latency, traceId, 0);
  }
}
