package pulse.jobs.prompt;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A validated pulse to insert.
 *
 * @param requestTraceparent W3C traceparent of the request that scheduled it, or null
 * @param dedupeKey a key that makes a second insert of the same thing a no-op (Telegram update ids), or null
 */
public record NewPulse(
    String prompt,
    Instant scheduledAt,
    Priority priority,
    String source,
    List<String> tags,
    String notes,
    String requestTraceparent,
    String dedupeKey) {

  public NewPulse {
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(scheduledAt, "scheduledAt");
    Objects.requireNonNull(priority, "priority");
    Objects.requireNonNull(source, "source");
    tags = tags == null ? List.of() : List.copyOf(tags);
  }

  public static NewPulse of(String prompt, Instant at, Priority priority, String source) {
    return new NewPulse(prompt, at, priority, source, List.of(), null, null, null);
  }
}
