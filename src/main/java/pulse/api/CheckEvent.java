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
 */
public record CheckEvent(String source, boolean ok, String error, Instant at, Duration latency, String traceId) {}
