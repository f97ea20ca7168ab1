package pulse.jobs.health;

import pulse.jobs.shared.CommandLineWords;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import pulse.api.Durations;
import pulse.api.Settings;

/**
 * Reads the checks declared as {@code PULSE_CHECK_<NAME>=<spec>} plus {@code
 * PULSE_CHECK_<NAME>_<OPTION>=<value>}, and reports every bad entry as one line: key, value, what
 * is wrong and the fix. Values of secret options are never echoed.
 */
final class CheckSyntax {
  static final String PREFIX = "PULSE_CHECK_";
  static final Pattern NAME = Pattern.compile("[A-Z0-9]+(_[A-Z0-9]+)*");
  private static final Pattern UNIT = Pattern.compile("[A-Za-z0-9:_.@\\\\-]+");
  private static final Pattern STATUS_PART = Pattern.compile("[1-5]xx|\\d{3}(-\\d{3})?");
  private static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);

  /** The checks that parsed, and one line per problem. */
  record Parsed(List<CheckDefinition> checks, List<String> problems) {}

  private CheckSyntax() {}

  static boolean ownsKey(String key) {
    return key.startsWith(PREFIX);
  }

  /**
   * Parses every {@code PULSE_CHECK_*} key.
   *
   * @param jobIds the discovered job ids, or null when unknown (job checks then go unchecked)
   */
  static Parsed parse(Settings settings, Set<String> jobIds) {
    Set<String> keys = settings.keys().stream().filter(CheckSyntax::ownsKey).collect(Collectors.toCollection(TreeSet::new));
    List<String> problems = new ArrayList<>();
    Map<String, Map<CheckOption, String>> options = new java.util.TreeMap<>();
    List<String> mains = new ArrayList<>();
    for (String key : keys) {
      String rest = key.substring(PREFIX.length());
      if (!NAME.matcher(rest).matches()) {
        problems.add(key + ": not a check name; write PULSE_CHECK_<NAME>=<spec> with NAME in upper-case letters,"
            + " digits and single underscores, such as PULSE_CHECK_WEB=https://example.org/health");
        continue;
      }
      CheckOption option = optionOf(key, keys);
      if (option != null) {
        String main = key.substring(0, key.length() - option.suffix().length());
        options.computeIfAbsent(main, k -> new EnumMap<>(CheckOption.class)).put(option, settings.get(key).orElse(""));
      } else if (endsWithOption(rest) != null) {
        CheckOption o = endsWithOption(rest);
        String main = key.substring(0, key.length() - o.suffix().length());
        problems.add(key + ": sets " + o.name() + " of check " + main.substring(PREFIX.length()) + ", but " + main
            + " is not set; set " + main + "=<spec> or remove this key (a check name may not end in _" + o.name() + ")");
      } else {
        mains.add(key);
      }
    }
    List<CheckDefinition> checks = new ArrayList<>();
    for (String key : mains) {
      String value = settings.get(key).orElse("");
      Map<CheckOption, String> opts = options.getOrDefault(key, Map.of());
      int before = problems.size();
      CheckKind kind = CheckKind.of(value).orElse(null);
      if (kind == null) {
        problems.add(show(key, value) + "not a check spec; start it with one of http://, https://, tcp://, postgres://,"
            + " disk:, cmd:, systemd: or job: (for example " + key + "=" + CheckKind.HTTP.example() + ")");
        continue;
      }
      checkTarget(key, kind, value, jobIds, problems);
      for (Map.Entry<CheckOption, String> e : opts.entrySet()) {
        checkOption(key, kind, e.getKey(), e.getValue(), problems);
      }
      if (kind == CheckKind.JOB && !opts.containsKey(CheckOption.MAX_AGE)) {
        problems.add(key + CheckOption.MAX_AGE.suffix() + " is not set: a job check needs the longest acceptable time"
            + " since the job last succeeded; set it, such as " + key + CheckOption.MAX_AGE.suffix() + "=26h");
      }
      if (problems.size() == before) {
        checks.add(new CheckDefinition(CheckDefinition.nameOf(key.substring(PREFIX.length())), key, kind, value, opts));
      }
    }
    return new Parsed(List.copyOf(checks), List.copyOf(problems));
  }

  /** The option this key sets, if its main key is set too. */
  private static CheckOption optionOf(String key, Set<String> keys) {
    for (CheckOption o : CheckOption.values()) {
      if (key.endsWith(o.suffix()) && keys.contains(key.substring(0, key.length() - o.suffix().length()))) {
        return o;
      }
    }
    return null;
  }

  private static CheckOption endsWithOption(String rest) {
    for (CheckOption o : CheckOption.values()) {
      if (rest.endsWith(o.suffix())) {
        return o;
      }
    }
    return null;
  }

  private static String show(String key, String value) {
    return key + "='" + value + "': ";
  }

  private static void checkTarget(String key, CheckKind kind, String value, Set<String> jobIds, List<String> problems) {
    switch (kind) {
      case HTTP -> {
        URI u = uri(value);
        if (u == null || u.getHost() == null) {
          problems.add(show(key, value) + "not a valid URL; write it like " + kind.example());
        } else if (u.getRawUserInfo() != null) {
          problems.add(key + "=" + withoutUserInfo(value) + ": has credentials in the URL, which would be shown in"
              + " logs and alerts; remove them and protect the endpoint another way (or check it with cmd:)");
        }
      }
      case TCP -> {
        URI u = uri(value);
        if (u == null || u.getHost() == null || u.getPort() < 1 || (u.getPath() != null && !u.getPath().isEmpty())) {
          problems.add(show(key, value) + "not host:port; write it like " + kind.example());
        }
      }
      case POSTGRES -> {
        URI u = uri(value);
        if (u == null || u.getHost() == null) {
          problems.add(key + "=" + withoutUserInfo(value) + ": not a PostgreSQL URL; write it like " + kind.example());
        } else if (u.getRawUserInfo() != null && u.getRawUserInfo().contains(":")) {
          problems.add(key + "=" + withoutUserInfo(value) + ": has a password in the URL, which would not be redacted;"
              + " move it to " + key + CheckOption.PASSWORD.suffix());
        }
      }
      case DISK -> {
        String path = CheckKind.rest(value);
        if (path.isEmpty() || !Path.of(path).isAbsolute()) {
          problems.add(show(key, value) + "needs an absolute path; write it like " + kind.example());
        }
      }
      case COMMAND -> {
        try {
          if (argv(CheckKind.rest(value)).isEmpty()) {
            problems.add(show(key, value) + "names no command; write it like " + kind.example());
          }
        } catch (IllegalArgumentException e) {
          problems.add(show(key, value) + e.getMessage());
        }
      }
      case SYSTEMD -> {
        if (!UNIT.matcher(CheckKind.rest(value)).matches()) {
          problems.add(show(key, value) + "not a systemd unit name; write it like " + kind.example());
        }
      }
      case JOB -> {
        String id = CheckKind.rest(value);
        if (id.isEmpty()) {
          problems.add(show(key, value) + "names no job; write it like " + kind.example());
        } else if (jobIds != null && !jobIds.contains(id)) {
          String known = String.join(", ", new TreeSet<>(jobIds));
          problems.add(show(key, value) + "there is no job '" + id + "'; use one of: " + (known.isEmpty() ? "(none)" : known)
              + " ('pulse jobs' lists them)");
        }
      }
      default -> throw new IllegalStateException(kind.name());
    }
  }

  private static void checkOption(String main, CheckKind kind, CheckOption o, String value, List<String> problems) {
    String key = main + o.suffix();
    String shown = o == CheckOption.PASSWORD ? key + "=****: " : show(key, value);
    if (!o.appliesTo(kind)) {
      String kinds = o.kinds().stream().map(CheckKind::label).collect(Collectors.joining(", "));
      problems.add(shown + o.name() + " applies to " + kinds + " checks only, and " + main + " is a "
          + kind.label() + " check; remove it");
      return;
    }
    String v = value.trim();
    switch (o) {
      case TIMEOUT -> positiveDuration(shown, v, MAX_TIMEOUT, problems);
      case MAX_LATENCY, MAX_AGE -> positiveDuration(shown, v, null, problems);
      case FAILURES -> intIn(shown, v, 1, 1000, problems);
      case TLS_WARN_DAYS -> intIn(shown, v, 0, 3650, problems);
      case EXPECT_EXIT -> intIn(shown, v, 0, 255, problems);
      case FOLLOW_REDIRECTS -> {
        if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
          problems.add(shown + "not true or false; write true or false");
        }
      }
      case EXPECT_STATUS -> {
        try {
          StatusRanges.parse(v);
        } catch (IllegalArgumentException e) {
          problems.add(shown + e.getMessage());
        }
      }
      case BODY_CONTAINS, PASSWORD -> {
        if (v.isEmpty()) {
          problems.add(shown + "is empty; set a value or remove the key");
        }
      }
      case CA_FILE -> {
        try {
          Tls.readCertificates(Path.of(v));
        } catch (IOException | java.security.GeneralSecurityException | RuntimeException e) {
          problems.add(shown + "cannot read CA certificates (" + e.getMessage() + "); give a readable PEM file"
              + " with one or more -----BEGIN CERTIFICATE----- blocks");
        }
      }
      case MIN_FREE_PERCENT -> {
        try {
          double d = Double.parseDouble(v);
          if (d < 0 || d > 100) {
            problems.add(shown + "out of range; use a percentage from 0 to 100, such as 10");
          }
        } catch (NumberFormatException e) {
          problems.add(shown + "not a number; use a percentage from 0 to 100, such as 10");
        }
      }
      case MIN_FREE_BYTES -> {
        try {
          Sizes.parse(v);
        } catch (IllegalArgumentException e) {
          problems.add(shown + e.getMessage());
        }
      }
      default -> throw new IllegalStateException(o.name());
    }
  }

  private static void positiveDuration(String shown, String v, Duration max, List<String> problems) {
    try {
      Duration d = Durations.parse(v);
      if (d.isZero() || d.isNegative()) {
        problems.add(shown + "must be longer than 0; write a duration such as 10s");
      } else if (max != null && d.compareTo(max) > 0) {
        problems.add(shown + "longer than " + Durations.format(max) + "; a check that slow delays every other; use less");
      }
    } catch (IllegalArgumentException e) {
      problems.add(shown + e.getMessage());
    }
  }

  private static void intIn(String shown, String v, int min, int max, List<String> problems) {
    try {
      int n = Integer.parseInt(v);
      if (n < min || n > max) {
        problems.add(shown + "out of range; use a whole number from " + min + " to " + max);
      }
    } catch (NumberFormatException e) {
      problems.add(shown + "not a whole number; use one from " + min + " to " + max);
    }
  }

  private static URI uri(String value) {
    try {
      return new URI(value.trim());
    } catch (URISyntaxException e) {
      return null;
    }
  }

  /** A URL without {@code user:password@}, for display; other values unchanged. */
  static String withoutUserInfo(String value) {
    return value.replaceFirst("^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@]*@", "$1");
  }

  /** A {@code cmd:} check's argument vector; no shell runs. */
  static List<String> argv(String line) {
    return CommandLineWords.split(line);
  }


  static boolean validStatusPart(String part) {
    return STATUS_PART.matcher(part).matches();
  }
}
