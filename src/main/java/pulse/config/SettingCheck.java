package pulse.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import pulse.api.Durations;
import pulse.api.Setting;

/** Checks one value against its setting's kind; the problem text names key, value and fix. */
final class SettingCheck {
  private SettingCheck() {}

  static Optional<String> problem(Setting s, String raw) {
    String v = raw.trim();
    String shown = s.secret() || Redactor.isSecretKey(s.key()) ? Redactor.MASK : "'" + v + "'";
    String why =
        switch (s.kind()) {
          case STRING, PATH, LIST -> null;
          case INTEGER -> isInteger(v) ? null : "not a whole number";
          case BOOLEAN -> v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false") ? null : "not true or false";
          case DURATION -> durationProblem(v);
          case URL -> urlProblem(v);
          case SCHEDULE -> scheduleProblem(v);
        };
    if (why == null) {
      return Optional.empty();
    }
    return Optional.of(s.key() + "=" + shown + ": " + why + "; expected " + s.kind().expected());
  }

  static String format(String key, String value, boolean secret, String why, String fix) {
    String shown = secret ? Redactor.MASK : "'" + value + "'";
    return key + "=" + shown + ": " + why + "; " + fix;
  }

  private static boolean isInteger(String v) {
    try {
      Long.parseLong(v);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static String durationProblem(String v) {
    try {
      Durations.parse(v);
      return null;
    } catch (IllegalArgumentException e) {
      return "not a duration";
    }
  }

  private static String urlProblem(String v) {
    try {
      URI u = new URI(v);
      return u.isAbsolute() && u.getHost() != null ? null : "not an absolute URL";
    } catch (URISyntaxException e) {
      return "not a URL";
    }
  }

  private static String scheduleProblem(String v) {
    try {
      Schedule.parse(v);
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }
}
