package pulse.api;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One setting a job or extension reads: its key, kind, default and meaning. Pulse validates every
 * declared setting at startup, so a job's typed getters in {@link Settings} never fail on bad input.
 *
 * @param key environment-style key, such as {@code PULSE_BACKUP_PATHS} or {@code RESTIC_REPOSITORY}
 * @param kind how the value is parsed and checked
 * @param defaultValue the value when unset, or null for none
 * @param required a missing required setting keeps the job disabled (and names the key)
 * @param secret never logged, traced or echoed in errors
 * @param description one line for the README and {@code pulse check}
 */
public record Setting(
    String key, Kind kind, String defaultValue, boolean required, boolean secret, String description) {

  private static final Pattern KEY = Pattern.compile("[A-Z][A-Z0-9_]*");

  /** How a setting's value is parsed. */
  public enum Kind {
    STRING("text"),
    INTEGER("a whole number, such as 5"),
    DURATION("a duration, such as 30s, 5m, 2h, 7d or PT1H"),
    BOOLEAN("true or false"),
    PATH("a file system path"),
    URL("an absolute URL, such as https://example.org/ping"),
    LIST("a comma-separated list"),
    SCHEDULE("a cron expression, @hourly/@daily/@weekly/@monthly, or an interval such as every 5m");

    private final String expected;

    Kind(String expected) {
      this.expected = expected;
    }

    /** What a valid value looks like, for error messages. */
    public String expected() {
      return expected;
    }
  }

  public Setting {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(kind, "kind");
    if (!KEY.matcher(key).matches()) {
      throw new IllegalArgumentException("setting key '" + key + "' must be upper case, like PULSE_X");
    }
    description = description == null ? "" : description;
  }

  public static Setting of(String key, Kind kind, String defaultValue, String description) {
    return new Setting(key, kind, defaultValue, false, false, description);
  }

  public static Setting string(String key, String defaultValue, String description) {
    return of(key, Kind.STRING, defaultValue, description);
  }

  /** This setting, but required: the job stays disabled while it is unset. */
  public Setting asRequired() {
    return new Setting(key, kind, defaultValue, true, secret, description);
  }

  /** This setting, but secret: its value is redacted everywhere. */
  public Setting asSecret() {
    return new Setting(key, kind, defaultValue, required, true, description);
  }
}
