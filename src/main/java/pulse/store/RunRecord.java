package pulse.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * One run of one job, as stored in {@code pulse_runs}.
 *
 * @param scheduledAt when it was due (for a manual run: when it was asked for)
 * @param endedAt null while running
 * @param summary figures the job reported with {@code JobContext.summary}
 * @param traceId the run span's trace id (32 hex), to link to a trace backend
 */
public record RunRecord(
    long id,
    String jobId,
    String trigger,
    Instant scheduledAt,
    Instant startedAt,
    Instant endedAt,
    Outcome outcome,
    String errorType,
    String errorMessage,
    String outputTail,
    Map<String, Object> summary,
    String traceId) {

  public RunRecord {
    summary = summary == null ? Map.of() : Map.copyOf(summary);
  }

  /** Null while running. */
  public Duration duration() {
    return endedAt == null ? null : Duration.between(startedAt, endedAt);
  }

  /** How late the run started against its due time; never negative. */
  public Duration lateness() {
    Duration d = Duration.between(scheduledAt, startedAt);
    return d.isNegative() ? Duration.ZERO : d;
  }
}
