package pulse.store;

import java.time.Instant;
import java.util.Map;

/** What is known when a run ends. Error fields and output are already redacted and bounded. */
public record RunResult(
    Instant endedAt,
    Outcome outcome,
    String errorType,
    String errorMessage,
    String outputTail,
    Map<String, Object> summary) {

  public RunResult {
    summary = summary == null ? Map.of() : Map.copyOf(summary);
  }
}
