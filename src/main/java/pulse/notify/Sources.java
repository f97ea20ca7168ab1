package pulse.notify;

import java.util.Optional;

/** Alert source names: {@code job:<id>} for job runs, {@code check:<name>} for health checks. */
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

  /** "job backup-db" or "check web": how a notification names the source. */
  static String describe(String source) {
    return jobId(source).map(id -> "job " + id).or(() -> checkName(source).map(n -> "check " + n)).orElse(source);
  }
}
