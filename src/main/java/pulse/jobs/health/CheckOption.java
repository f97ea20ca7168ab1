package pulse.jobs.health;

import java.util.EnumSet;
import java.util.Set;

/**
 * The optional {@code PULSE_CHECK_<NAME>_<OPTION>} keys, the kinds each applies to, and their
 * defaults. A check name may not end in an option's name: {@code PULSE_CHECK_WEB_TIMEOUT} is always
 * the TIMEOUT of WEB when {@code PULSE_CHECK_WEB} is set.
 */
enum CheckOption {
  TIMEOUT(all(), "10s", "how long the check may take"),
  FAILURES(all(), "2", "consecutive failures before the alert opens (read by the alert engine)"),
  EXPECT_STATUS(EnumSet.of(CheckKind.HTTP), "200-299", "accepted HTTP statuses: codes, ranges, 2xx"),
  BODY_CONTAINS(EnumSet.of(CheckKind.HTTP), null, "text the response body must contain"),
  MAX_LATENCY(EnumSet.of(CheckKind.HTTP), null, "slowest acceptable answer, such as 500ms"),
  TLS_WARN_DAYS(EnumSet.of(CheckKind.HTTP), "14", "fail when the certificate expires within this many days; 0 = off"),
  FOLLOW_REDIRECTS(EnumSet.of(CheckKind.HTTP), "false", "follow redirects instead of judging the 3xx"),
  CA_FILE(EnumSet.of(CheckKind.HTTP), null, "PEM file with the CA certificates to trust instead of the JDK's"),
  PASSWORD(EnumSet.of(CheckKind.POSTGRES), null, "the database password (secret)"),
  MIN_FREE_PERCENT(EnumSet.of(CheckKind.DISK), "10", "least free space, percent of the file system"),
  MIN_FREE_BYTES(EnumSet.of(CheckKind.DISK), null, "least free space, a size such as 5GB"),
  EXPECT_EXIT(EnumSet.of(CheckKind.COMMAND), "0", "the exit code that means healthy"),
  MAX_AGE(EnumSet.of(CheckKind.JOB), null, "longest time since the job last succeeded (required)");

  private final Set<CheckKind> kinds;
  private final String defaultValue;
  private final String description;

  CheckOption(Set<CheckKind> kinds, String defaultValue, String description) {
    this.kinds = kinds;
    this.defaultValue = defaultValue;
    this.description = description;
  }

  private static Set<CheckKind> all() {
    return EnumSet.allOf(CheckKind.class);
  }

  boolean appliesTo(CheckKind kind) {
    return kinds.contains(kind);
  }

  Set<CheckKind> kinds() {
    return kinds;
  }

  String defaultValue() {
    return defaultValue;
  }

  String description() {
    return description;
  }

  /** The key suffix, such as {@code _MAX_LATENCY}. */
  String suffix() {
    return "_" + name();
  }
}
