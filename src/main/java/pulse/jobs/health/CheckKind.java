package pulse.jobs.health;

import java.util.Locale;
import java.util.Optional;

/** The kinds of check, told apart by the scheme of the value of {@code PULSE_CHECK_<NAME>}. */
enum CheckKind {
  HTTP("http(s)", "https://example.org/health"),
  TCP("tcp", "tcp://db.internal:5432"),
  POSTGRES("postgres", "postgres://monitor@127.0.0.1:5432/app"),
  DISK("disk", "disk:/var/lib"),
  COMMAND("cmd", "cmd:/usr/local/bin/check-queue --max 100"),
  SYSTEMD("systemd", "systemd:nginx.service"),
  JOB("job", "job:backup");

  private final String label;
  private final String example;

  CheckKind(String label, String example) {
    this.label = label;
    this.example = example;
  }

  String label() {
    return label;
  }

  String example() {
    return example;
  }

  /** The kind a value names by its scheme, if any. */
  static Optional<CheckKind> of(String value) {
    String v = value.toLowerCase(Locale.ROOT);
    if (v.startsWith("http://") || v.startsWith("https://")) {
      return Optional.of(HTTP);
    }
    if (v.startsWith("tcp://")) {
      return Optional.of(TCP);
    }
    if (v.startsWith("postgres://") || v.startsWith("postgresql://")) {
      return Optional.of(POSTGRES);
    }
    if (v.startsWith("disk:")) {
      return Optional.of(DISK);
    }
    if (v.startsWith("cmd:")) {
      return Optional.of(COMMAND);
    }
    if (v.startsWith("systemd:")) {
      return Optional.of(SYSTEMD);
    }
    if (v.startsWith("job:")) {
      return Optional.of(JOB);
    }
    return Optional.empty();
  }

  /** After the scheme, for the kinds written {@code scheme:rest}. */
  static String rest(String value) {
    return value.substring(value.indexOf(':') + 1).trim();
  }
}
