package pulse.notify;

import java.time.Instant;

/** The current streak of one source, as stored in {@code alert_sources}. */
record SourceState(
    String source,
    int failures,
    int successes,
    Instant failingSince,
    Instant lastFailureAt,
    String lastError,
    String lastTraceId,
    Instant lastEventAt,
    Long openAlertId) {

  static SourceState fresh(String source, Instant now) {
    return new SourceState(source, 0, 0, null, null, null, null, now, null);
  }
}
