package pulse.jobs.health;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import pulse.api.Durations;

/**
 * One declared check, validated: {@code PULSE_CHECK_<NAME>=<value>} and its options. Typed getters
 * apply the option defaults and never fail, because {@link CheckSyntax} checked every value first.
 *
 * @param name the lower-case name, as in {@code check:<name>} and the API
 * @param key the main key, such as {@code PULSE_CHECK_WEB}
 */
record CheckDefinition(String name, String key, CheckKind kind, String value, Map<CheckOption, String> options) {

  CheckDefinition {
    options = Map.copyOf(options);
  }

  static String nameOf(String upperName) {
    return upperName.toLowerCase(Locale.ROOT);
  }

  /** The key of one of this check's options. */
  String key(CheckOption o) {
    return key + o.suffix();
  }

  Optional<String> option(CheckOption o) {
    return Optional.ofNullable(options.get(o)).or(() -> Optional.ofNullable(o.defaultValue()));
  }

  boolean isSet(CheckOption o) {
    return options.containsKey(o);
  }

  Duration timeout() {
    return duration(CheckOption.TIMEOUT).orElseThrow();
  }

  Optional<Duration> duration(CheckOption o) {
    return option(o).map(Durations::parse);
  }

  Optional<Integer> integer(CheckOption o) {
    return option(o).map(v -> Integer.parseInt(v.trim()));
  }

  boolean bool(CheckOption o) {
    return option(o).map(v -> Boolean.parseBoolean(v.trim())).orElse(false);
  }

  /** What the check looks at, safe to show: the value without any credentials. */
  String target() {
    return CheckSyntax.withoutUserInfo(value);
  }
}
