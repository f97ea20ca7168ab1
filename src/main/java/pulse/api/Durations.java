package pulse.api;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the human durations used in settings: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h30m}, {@code 7d}, {@code PT1H}. */
public final class Durations {
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d|w)");
  /**
   * The longest duration anything reads: {@link Duration#toNanos()} and {@code Instant.plus} overflow
   * not far beyond (292 years of nanoseconds), and no setting or API field means more.
   */
  public static final Duration MAX = Duration.ofDays(36_500);

  private Durations() {}

  /**
   * Parses a duration.
   *
   * @throws IllegalArgumentException with a message that shows the accepted forms
   */
  public static Duration parse(String text) {
    String s = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    if (s.startsWith("pt") || s.startsWith("p")) {
      try {
        return bounded(text, Duration.parse(s.toUpperCase(Locale.ROOT)));
      } catch (DateTimeParseException e) {
        throw invalid(text);
      }
    }
    if (s.isEmpty()) {
      throw invalid(text);
    }
    Matcher m = PART.matcher(s);
    Duration total = Duration.ZERO;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        throw invalid(text);
      }
      try {
        long n = Long.parseLong(m.group(1));
        total = bounded(text, total.plus(switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          case "d" -> Duration.ofDays(n);
          default -> Duration.ofDays(Math.multiplyExact(7, n));
        }));
      } catch (NumberFormatException | ArithmeticException e) {
        throw tooLong(text);
      }
      end = m.end();
    }
    if (end != s.length()) {
      throw invalid(text);
    }
    return total;
  }

  /** Formats a duration the way {@link #parse} reads it: {@code 1h30m}, {@code 45s}, {@code 250ms}. */
  public static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    StringBuilder b = new StringBuilder();
    long days = d.toDays();
    if (days > 0) {
      b.append(days).append('d');
    }
    if (d.toHoursPart() > 0) {
      b.append(d.toHoursPart()).append('h');
    }
    if (d.toMinutesPart() > 0) {
      b.append(d.toMinutesPart()).append('m');
    }
    if (d.toSecondsPart() > 0) {
      b.append(d.toSecondsPart()).append('s');
    }
    if (d.toMillisPart() > 0) {
      b.append(d.toMillisPart()).append("ms");
    }
    return b.toString();
  }

  static List<String> splitList(String value) {
    List<String> out = new ArrayList<>();
    for (String item : value.split(",")) {
      String t = item.trim();
      if (!t.isEmpty()) {
        out.add(t);
      }
    }
    return List.copyOf(out);
  }

  private static Duration bounded(String text, Duration d) {
    if (d.compareTo(MAX) > 0) {
      throw tooLong(text);
    }
    return d;
  }

  private static IllegalArgumentException tooLong(String text) {
    String shown = text.length() > 40 ? text.substring(0, 40) + "…" : text;
    return new IllegalArgumentException("'" + shown + "' is longer than any duration Pulse reads: at most " + MAX.toDays() + "d (100 years)");
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException(
        "'" + text + "' is not a duration; write it like 30s, 5m, 2h, 7d, 1h30m or PT1H");
  }
}
