package pulse.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Replaces secret values with {@code ****} in any text bound for a log line, a span or an error
 * message. The secrets are every value from the env file and every setting whose name contains
 * TOKEN, PASSWORD, SECRET or KEY. Installed once at startup; the logging layout and the telemetry use
 * the installed instance, which is why this one piece of state is global.
 */
public final class Redactor {
  public static final String MASK = "****";
  /** Shorter values would mask ordinary words and numbers; they are still never printed as config. */
  static final int MIN_SECRET_LENGTH = 6;

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
    if (text == null || secrets.isEmpty()) {
      return text;
    }
    String out = text;
    for (String s : secrets) {
      if (out.contains(s)) {
        out = out.replace(s, MASK);
      }
    }
    return out;
  }

  /** True for setting names that always hold secrets. */
  public static boolean isSecretKey(String key) {
    String k = key.toUpperCase(java.util.Locale.ROOT);
    return k.contains("TOKEN") || k.contains("PASSWORD") || k.contains("SECRET") || k.contains("KEY");
  }
}
