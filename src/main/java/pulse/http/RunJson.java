package pulse.http;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import pulse.store.RunRecord;

/** One run as the API shows it: times, duration and lateness in milliseconds, a trace link. */
record RunJson(
    long id,
    String jobId,
    String trigger,
    Instant scheduledAt,
    Instant startedAt,
    Instant endedAt,
    Long durationMs,
    long latenessMs,
    String outcome,
    boolean failed,
    String errorType,
    String errorMessage,
    String outputTail,
    Map<String, Object> summary,
    String traceId,
    String traceUrl) {

  static RunJson of(RunRecord r, Optional<String> traceTemplate) {
    return new RunJson(
        r.id(),
        r.jobId(),
        r.trigger(),
        r.scheduledAt(),
        r.startedAt(),
        r.endedAt(),
        r.duration() == null ? null : r.duration().toMillis(),
        r.lateness().toMillis(),
        r.outcome().label(),
        r.outcome().isFailure(),
        r.errorType(),
        r.errorMessage(),
        r.outputTail(),
        r.summary(),
        r.traceId(),
        traceUrl(r.traceId(), traceTemplate));
  }

  static String traceUrl(String traceId, Optional<String> template) {
    return traceId == null || template.isEmpty() ? null : template.get().replace("{trace_id}", traceId);
  }
}
