package pulse.config;

import java.text.ParseException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.quartz.CronExpression;
import pulse.api.Durations;

/**
 * A parsed schedule: a Quartz cron expression or a fixed interval. Users write 5-field Unix cron,
 * Quartz's 6-7 fields, a macro, or an interval; this is the one place that tells them apart.
 *
 * @param text what the user wrote
 * @param cron the Quartz cron expression (seconds first), or null for an interval
 * @param interval the interval, or null for cron
 */
public record Schedule(String text, String cron, Duration interval) {
  public static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
  private static final String FORMS =
      "write cron like '0 * * * *' (minute hour day month weekday) or Quartz's '0 0 * * * ?',"
          + " @hourly/@daily/@weekly/@monthly, or an interval like 'every 5m'";
  private static final Map<String, String> MACROS =
      Map.of(
          "@hourly", "0 0 * * * ?",
          "@daily", "0 0 0 * * ?",
          "@midnight", "0 0 0 * * ?",
          "@weekly", "0 0 0 ? * SUN",
          "@monthly", "0 0 0 1 * ?",
          "@yearly", "0 0 0 1 1 ?",
          "@annually", "0 0 0 1 1 ?");

  public boolean isCron() {
    return cron != null;
  }

  /**
   * Parses a schedule.
   *
   * @throws IllegalArgumentException whose message says what is wrong and which forms are accepted
   */
  public static Schedule parse(String text) {
    String s = text == null ? "" : text.trim();
    if (s.isEmpty()) {
      throw new IllegalArgumentException("empty schedule; " + FORMS);
    }
    String lower = s.toLowerCase(Locale.ROOT);
    if (MACROS.containsKey(lower)) {
      return new Schedule(s, MACROS.get(lower), null);
    }
    if (lower.startsWith("@")) {
      throw new IllegalArgumentException("unknown macro '" + s + "'; " + FORMS);
    }
    String[] fields = s.split("\\s+");
    if (lower.startsWith("every ") || fields.length == 1) {
      String amount = lower.startsWith("every ") ? s.substring(6).trim() : s;
      Duration d;
      try {
        d = Durations.parse(amount);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("'" + s + "' is not a schedule; " + FORMS);
      }
      if (d.compareTo(MIN_INTERVAL) < 0) {
        throw new IllegalArgumentException("interval '" + s + "' is shorter than 1s");
      }
      return new Schedule(s, null, d);
    }
    String quartz =
        switch (fields.length) {
          case 5 -> fromUnix(fields, s);
          case 6, 7 -> s;
          default -> throw new IllegalArgumentException(
              "'" + s + "' has " + fields.length + " fields; " + FORMS);
        };
    try {
      CronExpression.validateExpression(quartz);
    } catch (ParseException e) {
      throw new IllegalArgumentException("'" + s + "' is not valid cron (" + e.getMessage() + "); " + FORMS);
    }
    return new Schedule(s, quartz, null);
  }

  /** Unix cron has no seconds, numbers Sunday 0 (or 7) and ORs day-of-month with day-of-week. */
  private static String fromUnix(String[] f, String original) {
    String dom = f[2];
    String dow = f[4];
    boolean domAny = dom.equals("*") || dom.equals("?");
    boolean dowAny = dow.equals("*") || dow.equals("?");
    if (!domAny && !dowAny) {
      throw new IllegalArgumentException(
          "'" + original + "' sets both day of month and day of week; Pulse supports one of them"
              + " (use * for the other)");
    }
    if (dowAny) {
      dow = "?";
    } else {
      dom = "?";
      dow = unixWeekdays(dow, original);
    }
    return String.join(" ", "0", f[0], f[1], dom, f[3], dow);
  }

  private static String unixWeekdays(String field, String original) {
    StringBuilder out = new StringBuilder();
    for (String item : field.split(",")) {
      if (out.length() > 0) {
        out.append(',');
      }
      String step = "";
      int slash = item.indexOf('/');
      if (slash >= 0) {
        step = item.substring(slash);
        item = item.substring(0, slash);
      }
      String[] range = item.split("-");
      for (int i = 0; i < range.length; i++) {
        if (i > 0) {
          out.append('-');
        }
        out.append(weekday(range[i], original));
      }
      out.append(step);
    }
    return out.toString();
  }

  private static String weekday(String v, String original) {
    if (v.equals("*") || !v.chars().allMatch(Character::isDigit)) {
      return v; // names such as MON pass through unchanged
    }
    int n = Integer.parseInt(v);
    if (n > 7) {
      throw new IllegalArgumentException("'" + original + "': day of week " + n + " is not 0-7");
    }
    return String.valueOf(n % 7 + 1);
  }
}
