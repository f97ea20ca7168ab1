package pulse.jobs.prompt;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One row of the queue. Times are null until they happen. */
public record PromptPulse(
    long id,
    String prompt,
    Instant scheduledAt,
    Priority priority,
    String source,
    List<String> tags,
    String notes,
    PulseStatus status,
    int attempts,
    String lastError,
    String outputTail,
    Integer exitCode,
    Instant createdAt,
    Instant updatedAt,
    Instant startedAt,
    Instant finishedAt,
    Long runMillis,
    String traceId,
    String requestTraceparent,
    String leaseOwner,
    Instant leaseUntil) {

  /** The API's JSON view (snake_case keys, ISO-8601 times), independent of any ObjectMapper setup. */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("prompt", prompt);
    m.put("scheduled_at", text(scheduledAt));
    m.put("priority", priority.label());
    m.put("source", source);
    m.put("tags", tags);
    m.put("notes", notes);
    m.put("status", status.label());
    m.put("attempts", attempts);
    m.put("last_error", lastError);
    m.put("output_tail", outputTail);
    m.put("exit_code", exitCode);
    m.put("created_at", text(createdAt));
    m.put("updated_at", text(updatedAt));
    m.put("started_at", text(startedAt));
    m.put("finished_at", text(finishedAt));
    m.put("run_millis", runMillis);
    m.put("trace_id", traceId);
    m.put("lease_until", text(leaseUntil));
    return m;
  }

  private static String text(Instant i) {
    return i == null ? null : i.toString();
  }
}
