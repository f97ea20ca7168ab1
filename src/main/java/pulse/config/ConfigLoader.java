package pulse.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import pulse.api.Durations;
import pulse.api.Extension;
import pulse.api.Setting;

/**
 * Turns the env file and environment into a {@link PulseConfig}, or a {@link ConfigException} that
 * lists every problem at once. Unknown {@code PULSE_*} keys are errors: a typo would otherwise
 * silently leave a default in place.
 */
public final class ConfigLoader {
  private static final Set<String> LOG_LEVELS = Set.of("error", "warn", "info", "debug", "trace");
  /** API read and idle timeouts: past 10 minutes a slow client holds its slot for nothing. */
  private static final Duration API_TIMEOUT_MIN = Duration.ofMillis(100);
  private static final Duration API_TIMEOUT_MAX = Duration.ofMinutes(10);

  private ConfigLoader() {}

  /** {@code PULSE_STATE_DIR}, else systemd's {@code $STATE_DIRECTORY}, else {@code ~/.local/state/pulse}. */
  public static Path stateDir(Map<String, String> env) {
    String explicit = env.get(CoreSettings.STATE_DIR);
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit.trim()).toAbsolutePath();
    }
    String systemd = env.get("STATE_DIRECTORY");
    if (systemd != null && !systemd.isBlank()) {
      return Path.of(systemd.split(":")[0]).toAbsolutePath(); // systemd joins several with ':'
    }
    String xdg = env.get("XDG_STATE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "state");
    return base.resolve("pulse").toAbsolutePath();
  }

  public static Path pluginsDir(Map<String, String> env, Path stateDir) {
    String explicit = env.get(CoreSettings.PLUGINS_DIR);
    return explicit != null && !explicit.isBlank() ? Path.of(explicit.trim()).toAbsolutePath() : stateDir.resolve("plugins");
  }

  /**
   * Validates everything.
   *
   * @param declared settings declared by the discovered jobs and extensions
   * @param jobIds ids of the discovered jobs (their PULSE_JOB_ID_* keys are known)
   */
  public static PulseConfig load(EnvSources sources, List<Setting> declared, Collection<String> jobIds) {
    return load(sources, declared, jobIds, List.of());
  }

  /**
   * Validates everything, letting each extension claim its dynamic keys and check its settings.
   */
  public static PulseConfig load(
      EnvSources sources, List<Setting> declared, Collection<String> jobIds, List<Extension> extensions) {
    Map<String, String> env = sources.merged();
    List<String> problems = new ArrayList<>();

    Map<String, Setting> known = new LinkedHashMap<>();
    CoreSettings.ALL.forEach(s -> known.put(s.key(), s));
    declared.forEach(s -> known.putIfAbsent(s.key(), s));
    Map<String, String> defaults = new HashMap<>();
    known.values().stream().filter(s -> s.defaultValue() != null).forEach(s -> defaults.put(s.key(), s.defaultValue()));
    MapSettings settings = new MapSettings(env, defaults);

    for (Setting s : known.values()) {
      if (settings.isSet(s.key())) {
        SettingCheck.problem(s, env.get(s.key())).ifPresent(problems::add);
      }
    }

    Set<String> knownKeys = new TreeSet<>(known.keySet());
    Map<String, JobSettings> jobs = new HashMap<>();
    for (String id : jobIds) {
      String prefix = CoreSettings.jobPrefix(id);
      knownKeys.add(prefix + "SCHEDULE");
      knownKeys.add(prefix + "ENABLED");
      knownKeys.add(prefix + "TIMEOUT");
      jobs.put(id, jobSettings(prefix, settings, problems));
    }
    for (String key : new TreeSet<>(env.keySet())) {
      if (key.startsWith("PULSE_") && !knownKeys.contains(key) && extensions.stream().noneMatch(e -> e.ownsKey(key))) {
        String hint =
            Suggestions.closest(key, knownKeys)
                .map(k -> "did you mean " + k + "?")
                .orElse("see the settings table in the README, or 'pulse jobs' for job ids");
        problems.add(key + " is not a Pulse setting; " + hint);
      }
    }

    for (Extension e : extensions) {
      try {
        problems.addAll(e.validate(settings, Set.copyOf(jobIds)));
      } catch (RuntimeException ex) {
        problems.add("the settings of " + e.name() + " could not be checked: " + ex.getMessage());
      }
    }

    Path stateDir = stateDir(env);
    Path pluginsDir = pluginsDir(env, stateDir);
    ZoneId zone = timezone(settings, problems);
    int port = intIn(settings, CoreSettings.API_PORT, 0, 65535, problems);
    int maxBody = intIn(settings, CoreSettings.API_MAX_BODY, 1024, 64 * 1024 * 1024, problems);
    int threads = intIn(settings, CoreSettings.SCHEDULER_THREADS, 1, 200, problems);
    ApiLimits limits = new ApiLimits(maxBody,
        durationIn(settings, CoreSettings.API_HEADER_TIMEOUT, API_TIMEOUT_MIN, API_TIMEOUT_MAX, problems),
        durationIn(settings, CoreSettings.API_BODY_TIMEOUT, API_TIMEOUT_MIN, API_TIMEOUT_MAX, problems),
        durationIn(settings, CoreSettings.API_IDLE_TIMEOUT, API_TIMEOUT_MIN, API_TIMEOUT_MAX, problems),
        intIn(settings, CoreSettings.API_MAX_CONNECTIONS_PER_CLIENT, 1, 1000, problems));
    String level = settings.get(CoreSettings.LOG_LEVEL).orElse(CoreSettings.DEFAULT_LOG_LEVEL).toLowerCase(java.util.Locale.ROOT);
    if (!LOG_LEVELS.contains(level)) {
      problems.add(SettingCheck.format(CoreSettings.LOG_LEVEL, level, false, "unknown level", "use one of error, warn, info, debug, trace"));
    }
    Optional<String> traceUrl = settings.get(CoreSettings.TRACE_URL);
    if (traceUrl.isPresent() && !traceUrl.get().contains("{trace_id}")) {
      problems.add(SettingCheck.format(CoreSettings.TRACE_URL, traceUrl.get(), false, "has no {trace_id}",
          "write a template such as https://jaeger.example/trace/{trace_id}"));
    }
    String host = settings.get(CoreSettings.API_HOST).orElse(CoreSettings.DEFAULT_API_HOST);
    URI apiUrl = settings.get(CoreSettings.API_URL).map(URI::create)
        .orElseGet(() -> URI.create("http://" + clientHost(host) + ":" + port));
    for (String key : List.of(CoreSettings.API_TOKEN, CoreSettings.API_READ_TOKEN)) {
      Optional<String> t = settings.get(key);
      if (t.isPresent() && t.get().strip().length() < CoreSettings.MIN_TOKEN_LENGTH) {
        problems.add(SettingCheck.format(key, t.get(), true, "is shorter than " + CoreSettings.MIN_TOKEN_LENGTH + " characters",
            "make a good one with: openssl rand -hex 32"));
      }
    }
    DatabaseConfig database = DatabaseConfig.parse(settings, problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }

    Set<String> secretValues = secrets(sources, known, key -> extensions.stream().anyMatch(e -> e.ownsKey(key)));
    database.postgres().flatMap(DatabaseConfig.Postgres::password).ifPresent(secretValues::add); // read from its file
    Redactor redactor = new Redactor(secretValues);
    ApiConfig api = new ApiConfig(host, port, settings.get(CoreSettings.API_TOKEN),
        settings.get(CoreSettings.API_READ_TOKEN), allowedHosts(settings, host), limits, apiUrl);
    SchedulerConfig scheduler =
        new SchedulerConfig(
            zone,
            duration(settings, CoreSettings.MISFIRE_GRACE),
            duration(settings, CoreSettings.SHUTDOWN_GRACE),
            threads);
    return new PulseConfig(
        stateDir,
        pluginsDir,
        sources.envFile(),
        database,
        api,
        scheduler,
        traceUrl,
        duration(settings, CoreSettings.HISTORY_RETENTION),
        level,
        Map.copyOf(jobs),
        settings,
        redactor,
        effective(known, settings, stateDir, pluginsDir, zone));
  }

  private static JobSettings jobSettings(String prefix, MapSettings settings, List<String> problems) {
    Optional<Schedule> schedule = Optional.empty();
    Optional<Boolean> enabled = Optional.empty();
    Optional<Duration> timeout = Optional.empty();
    String k = prefix + "SCHEDULE";
    if (settings.isSet(k)) {
      String v = settings.get(k).orElseThrow();
      try {
        schedule = Optional.of(Schedule.parse(v));
      } catch (IllegalArgumentException e) {
        problems.add(k + "='" + v + "': " + e.getMessage());
      }
    }
    k = prefix + "ENABLED";
    if (settings.isSet(k)) {
      String v = settings.get(k).orElseThrow();
      if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
        enabled = Optional.of(Boolean.parseBoolean(v));
      } else {
        problems.add(SettingCheck.format(k, v, false, "not true or false", "write true or false"));
      }
    }
    k = prefix + "TIMEOUT";
    if (settings.isSet(k)) {
      String v = settings.get(k).orElseThrow();
      try {
        Duration d = Durations.parse(v);
        if (d.isZero() || d.isNegative()) {
          problems.add(SettingCheck.format(k, v, false, "must be longer than 0", "write a duration such as 10m"));
        } else {
          timeout = Optional.of(d);
        }
      } catch (IllegalArgumentException e) {
        problems.add(k + "='" + v + "': " + e.getMessage());
      }
    }
    return new JobSettings(schedule, enabled, timeout);
  }

  private static ZoneId timezone(MapSettings settings, List<String> problems) {
    Optional<String> tz = settings.get(CoreSettings.TIMEZONE);
    if (tz.isEmpty()) {
      return ZoneId.systemDefault();
    }
    try {
      return ZoneId.of(tz.get());
    } catch (DateTimeException e) {
      problems.add(SettingCheck.format(CoreSettings.TIMEZONE, tz.get(), false, "unknown time zone",
          "use a region id such as UTC or Europe/Berlin (see timedatectl list-timezones)"));
      return ZoneId.systemDefault();
    }
  }

  private static int intIn(MapSettings settings, String key, int min, int max, List<String> problems) {
    String v = settings.get(key).orElseThrow();
    try {
      int n = Integer.parseInt(v);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below; SettingCheck may already have said "not a whole number"
      if (settings.isSet(key)) {
        return min;
      }
    }
    problems.add(SettingCheck.format(key, v, false, "out of range", "use a number from " + min + " to " + max));
    return min;
  }

  private static Duration durationIn(MapSettings settings, String key, Duration min, Duration max, List<String> problems) {
    Duration d;
    try {
      d = duration(settings, key);
    } catch (IllegalArgumentException e) {
      return min; // SettingCheck has reported the syntax
    }
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      problems.add(SettingCheck.format(key, settings.get(key).orElseThrow(), false, "out of range",
          "use a duration from " + Durations.format(min) + " to " + Durations.format(max)));
      return min;
    }
    return d;
  }

  private static Duration duration(MapSettings settings, String key) {
    return Durations.parse(settings.get(key).orElseThrow());
  }

  /**
   * Host names a request may name. Without the setting: the loopback names and the bind address, so a
   * web page whose name was rebound to 127.0.0.1 cannot read the API through the browser.
   */
  private static Set<String> allowedHosts(MapSettings settings, String bindHost) {
    Set<String> out = new java.util.LinkedHashSet<>();
    Optional<String> set = settings.get(CoreSettings.API_ALLOWED_HOSTS);
    if (set.isPresent()) {
      for (String h : set.get().split(",")) {
        if (!h.isBlank()) {
          out.add(h.strip().toLowerCase(java.util.Locale.ROOT));
        }
      }
      return Set.copyOf(out);
    }
    out.addAll(List.of("localhost", "127.0.0.1", "[::1]"));
    String b = bindHost.strip().toLowerCase(java.util.Locale.ROOT);
    out.add(b.contains(":") && !b.startsWith("[") ? "[" + b + "]" : b);
    return Set.copyOf(out);
  }

  /** The API listens on a wildcard address; a client connects to loopback instead. */
  private static String clientHost(String host) {
    if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
      return "127.0.0.1";
    }
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  /**
   * Every env-file value whose key Pulse does not know (and is not PULSE_*), every value whose key
   * names a secret (TOKEN, PASSWORD, SECRET, KEY) or is a webhook or ping URL, and every declared
   * secret setting. A key an extension
   * owns (such as PULSE_CHECK_WEB) counts as known: its value is the thing alerts must name.
   */
  static Set<String> secrets(EnvSources sources, Map<String, Setting> known) {
    return secrets(sources, known, key -> false);
  }

  static Set<String> secrets(EnvSources sources, Map<String, Setting> known, java.util.function.Predicate<String> owned) {
    Set<String> out = new HashSet<>();
    // An env-file key Pulse does not know is for the commands it starts (AWS_..., RESTIC_...): kept
    // secret. A PULSE_ key is judged by what it holds, wherever it came from ('every 3s' is no secret).
    sources.file().forEach((k, v) -> {
      if (known.get(k) == null && !owned.test(k) && !k.startsWith("PULSE_")) {
        out.add(v);
      }
    });
    sources.merged().forEach((k, v) -> {
      Setting s = known.get(k);
      if (Redactor.isSecretKey(k) || Redactor.isSecretUrlKey(k) || (s != null && s.secret())) {
        out.add(v);
      }
      if (k.startsWith("OTEL_EXPORTER_OTLP_") && k.endsWith("HEADERS")) {
        out.addAll(headerValues(v)); // x-honeycomb-team=KEY: the key is a secret, the name is not
      }
    });
    return out;
  }

  /** The values of an OTLP headers setting ({@code name=value,name2=value2}), as sent and URL-decoded. */
  static List<String> headerValues(String headers) {
    List<String> out = new ArrayList<>();
    for (String pair : headers.split(",")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && eq < pair.length() - 1) {
        String value = pair.substring(eq + 1).strip();
        out.add(value);
        try {
          out.add(java.net.URLDecoder.decode(value, java.nio.charset.StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
          // not URL-encoded; the raw value is masked already
        }
      }
    }
    return out;
  }

  private static Map<String, String> effective(
      Map<String, Setting> known, MapSettings settings, Path stateDir, Path pluginsDir, ZoneId zone) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Setting s : known.values()) {
      Optional<String> v = settings.get(s.key());
      if (v.isEmpty() && !CoreSettings.ALL.contains(s)) {
        continue;
      }
      boolean secret = s.secret() || Redactor.isSecretKey(s.key()) || Redactor.isSecretUrlKey(s.key());
      out.put(s.key(), v.map(x -> secret ? Redactor.MASK : Redactor.maskUrlCredentials(x)).orElse(secret ? "(unset)" : "(default)"));
    }
    out.put(CoreSettings.STATE_DIR, stateDir.toString());
    out.put(CoreSettings.PLUGINS_DIR, pluginsDir.toString());
    out.put(CoreSettings.TIMEZONE, zone.getId());
    settings.values().keySet().stream()
        .filter(k -> k.startsWith(CoreSettings.JOB_PREFIX) || (k.startsWith("PULSE_") && !out.containsKey(k) && !known.containsKey(k)))
        .sorted()
        .forEach(k -> out.put(k, Redactor.isSecretKey(k) || Redactor.isSecretUrlKey(k) ? Redactor.MASK
            : Redactor.maskUrlCredentials(settings.get(k).orElse(""))));
    return out;
  }
}
