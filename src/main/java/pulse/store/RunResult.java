package pulse.store;

import java.time.Instant;
import java.util.Map;

/**
 * What is known when a run ends. Error fields and output are already redacted and bounded.
 *
 * @param startedAt when the job really started, or null to keep the start recorded by {@link
 *     RunHistory#begin} (a run that never started); the row is written before the due time
 * @param traceId the run's trace, or null; known only once the run started
 */
public record RunResult(
    Instant startedAt,
    Instant endedAt,
    Outcome outcome,
    String errorType,
    String errorMessage,
    String outputTail,
    String traceId,
    Map<String, Object> summary) {

  public RunResult {
    summary = summary == null ? Map.of() : Map.copyOf(summary);
  }
}
