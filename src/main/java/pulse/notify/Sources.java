package pulse.notify;

import java.util.Optional;

/**
 * Alert source names, {@code <kind>:<name>}: {@code job:<id>} for job runs, {@code check:<name>}
 * for health checks, and the kinds families declare ({@code table:orders}, {@code node:web-2}).
 */
final class Sources {
  static final String JOB = "job:";
  static final String CHECK = "check:";
  /** How a silence of every source is stored. */
  static final String ALL = "*";

  private Sources() {}

  static String job(String jobId) {
    return JOB + jobId;
  }

  static Optional<String> jobId(String source) {
    return source.startsWith(JOB) ? Optional.of(source.substring(JOB.length())) : Optional.empty();
  }

  static Optional<String> checkName(String source) {
    return source.startsWith(CHECK) ? Optional.of(source.substring(CHECK.length())) : Optional.empty();
  }

  /** The kind of a source ({@code table} of {@code table:orders}), if it has one. */
  static Optional<String> kind(String source) {
    int colon = source.indexOf(':');
    return colon > 0 ? Optional.of(source.substring(0, colon)) : Optional.empty();
  }

  /** "job backup-db", "check web" or "table orders": how a notification names the source. */
  static String describe(String source) {
    int colon = source.indexOf(':');
    return colon > 0 ? source.substring(0, colon) + " " + source.substring(colon + 1) : source;
  }
}
