package pulse.notify;

import java.time.Instant;

/**
 * One alert, as stored in {@code alerts}.
 *
 * @param failingSince when the streak of failures that opened it began
 * @param flapping opened while the source was flapping: resolves only once stable
 * @param announced its opening was notified (false while silenced)
 */
record Alert(
    long id,
    String source,
    String state,
    Instant failingSince,
    Instant openedAt,
    Instant resolvedAt,
    String lastError,
    String lastTraceId,
    int failureCount,
    boolean flapping,
    boolean announced,
    Instant lastNotifiedAt) {

  static final String OPEN = "open";
  static final String RESOLVED = "resolved";

  boolean isOpen() {
    return OPEN.equals(state);
  }
}
