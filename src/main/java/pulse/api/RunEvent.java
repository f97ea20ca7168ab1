package pulse.api;

import java.time.Instant;

/**
 * A finished run, as {@link Extension#runFinished} sees it: enough to alert on, link and count.
 *
 * @param outcome success, partial, failed, timeout, cancelled or interrupted
 * @param failure true for the outcomes that count as failures
 * @param errorMessage redacted; null on success
 * @param outputTail the end of the run's output, redacted; may be null
 * @param traceId the run span's trace id
 */
public record RunEvent(
    String jobId,
    long runId,
    Trigger trigger,
    Instant scheduledAt,
    Instant startedAt,
    Instant endedAt,
    String outcome,
    boolean failure,
    String errorMessage,
    String outputTail,
    String traceId) {}
