package pulse.jobs.prompt;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** How urgent a pulse is. Due pulses run best rank first, then by their scheduled time. */
public enum Priority {
  CRITICAL,
  HIGH,
  NORMAL,
  LOW,
  DEFERRED;

  /** The stored rank: 0 is the most urgent, so {@code ORDER BY priority_rank} is the run order. */
  public int rank() {
    return ordinal();
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Priority> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String t = text.trim().toUpperCase(Locale.ROOT);
    return Arrays.stream(values()).filter(p -> p.name().equals(t)).findFirst();
  }

  /** "critical, high, normal, low or deferred", for error messages. */
  public static String accepted() {
    String all = Arrays.stream(values()).map(Priority::label).collect(Collectors.joining(", "));
    int last = all.lastIndexOf(", ");
    return all.substring(0, last) + " or " + all.substring(last + 2);
  }
}
