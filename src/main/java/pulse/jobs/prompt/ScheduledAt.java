package pulse.jobs.prompt;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import pulse.api.Durations;

/**
 * Reads when a pulse should run: {@code now}, an ISO-8601 time ({@code 2026-05-01T09:00:00Z},
 * {@code 2026-05-01T09:00+02:00}; without an offset it is read in the daemon's time zone), or a
 * relative time ({@code in 2h}, {@code +30m}, {@code in 1h30m}).
 */
public final class ScheduledAt {
  /** The earliest time taken: anything before is a mistake, not "now" (and the year -300000000 overflows a SQL timestamp). */
  public static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
  /** How far ahead a pulse may be scheduled. */
  public static final int MAX_YEARS_AHEAD = 10;
  /** Shown whenever a time cannot be read. */
  public static final String ACCEPTED =
      "use \"now\", an ISO-8601 time such as 2026-05-01T09:00:00Z, or a relative time such as \"in 2h\" or \"+30m\"";

  private ScheduledAt() {}

  /**
   * @throws IllegalArgumentException naming the text and the accepted forms
   */
  public static Instant parse(String text, Instant now, ZoneId zone) {
    // milliseconds: the store keeps microseconds at best, and the answer must show what is stored
    Instant at = parseUnbounded(text, now, zone).truncatedTo(ChronoUnit.MILLIS);
    Instant latest = now.atZone(ZoneOffset.UTC).plusYears(MAX_YEARS_AHEAD).toInstant();
    if (at.isBefore(EARLIEST) || at.isAfter(latest)) {
      String shown = text.trim().length() > 40 ? text.trim().substring(0, 40) + "…" : text.trim();
      throw new IllegalArgumentException("'" + shown + "' is out of range: a pulse is scheduled from " + EARLIEST + " (a past time means now) to "
          + MAX_YEARS_AHEAD + " years ahead (" + latest.truncatedTo(ChronoUnit.SECONDS) + ")");
    }
    return at;
  }

  private static Instant parseUnbounded(String text, Instant now, ZoneId zone) {
    if (text == null || text.isBlank()) {
      return now;
    }
    String t = text.trim();
    String lower = t.toLowerCase(Locale.ROOT);
    if (lower.equals("now")) {
      return now;
    }
    if (lower.startsWith("in ") || lower.startsWith("+")) {
      String rest = lower.startsWith("+") ? lower.substring(1) : lower.substring(3);
      try {
        Duration d = Durations.parse(rest.replace(" ", ""));
        return now.plus(d);
      } catch (IllegalArgumentException e) {
        throw e.getMessage().contains("longer than") ? e : invalid(t);
      }
    }
    try {
      return OffsetDateTime.parse(t).toInstant();
    } catch (DateTimeException e) {
      // not with an offset; try a local time below
    }
    try {
      return LocalDateTime.parse(t).atZone(zone).toInstant();
    } catch (DateTimeException e) {
      throw invalid(t);
    }
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException("'" + text + "' is not a time; " + ACCEPTED);
  }
}
