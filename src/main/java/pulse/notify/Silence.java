package pulse.notify;

import java.time.Instant;

/** A silence: no notifications for {@code source} ({@code *} for all) until {@code until}. */
record Silence(long id, String source, Instant until, String reason, Instant createdAt) {

  boolean covers(String s) {
    return source.equals(Sources.ALL) || source.equals(s);
  }
}
