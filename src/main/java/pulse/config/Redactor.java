package pulse.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Replaces secret values with {@code ****} in any text bound for a log line, a span or an error
 * message. The secrets are judged by what they are: settings whose name contains TOKEN, PASSWORD,
 * SECRET or KEY, webhook and ping URLs, passwords inside URLs, and the env-file values Pulse does
 * not know (they are for the commands it starts). Installed once at startup; the logging layout and the telemetry use
 * the installed instance, which is why this one piece of state is global.
 */
public final class Redactor {
  public static final String MASK = "****";
  /** Shorter values would mask ordinary words and numbers; they are still never printed as config. */
  static final int MIN_SECRET_LENGTH = 6;

  /** user:password@ in a URL: the password is a secret whatever setting the URL is in. */
  private static final java.util.regex.Pattern URL_CREDENTIALS =
      java.util.regex.Pattern.compile("(?i)([a-z][a-z0-9+.-]*://[^/@\\s:'\"]*):[^/@\\s'\"]*@");

  private static volatile Redactor installed = new Redactor(List.of());

  private final List<String> secrets;

  public Redactor(Collection<String> secretValues) {
    // Longest first, so a secret that contains another is masked whole.
    this.secrets =
        secretValues.stream()
            .filter(Objects::nonNull)
            .map(String::strip)
            .filter(s -> s.length() >= MIN_SECRET_LENGTH)
            .distinct()
            .sorted(Comparator.comparingInt(String::length).reversed())
            .toList();
  }

  /** Makes this the instance {@link #redactText} uses. */
  public static void install(Redactor redactor) {
    installed = Objects.requireNonNull(redactor);
  }

  public static Redactor installed() {
    return installed;
  }

  /** Redacts with the installed instance. */
  public static String redactText(String text) {
    return installed.redact(text);
  }

  public String redact(String text) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (String s : secrets) {
      if (out.contains(s)) {
        out = out.replace(s, MASK);
      }
    }
    return maskUrlCredentials(out); // after the known secrets, so a whole secret URL is masked whole
  }

  /** {@code http://admin:pw@host} becomes {@code http://admin:****@host}, wherever it appears. */
  public static String maskUrlCredentials(String text) {
    return text.indexOf('@') < 0 ? text : URL_CREDENTIALS.matcher(text).replaceAll("$1:" + MASK + "@");
  }

  /**
   * True for settings whose whole value is a credential though their name says nothing of it:
   * webhook and ping URLs (Slack, Discord, Teams and healthchecks.io put the secret in the path or query).
   */
  public static boolean isSecretUrlKey(String key) {
    String k = key.toUpperCase(java.util.Locale.ROOT);
    return k.endsWith("WEBHOOK_URL") || k.endsWith("PING_URL") || k.endsWith("PING_URL_TEMPLATE");
  }

  /** True for setting names that always hold secrets. */
  public static boolean isSecretKey(String key) {
    String k = key.toUpperCase(java.util.Locale.ROOT);
    return k.contains("TOKEN") || k.contains("PASSWORD") || k.contains("SECRET") || k.contains("KEY");
  }
}
