package pulse.api;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Read-only, validated settings: the env file overlaid by the process environment. Typed getters
 * apply the declared default; a key that is unset and has no default is empty.
 */
public interface Settings {

  /** The raw value, or the declared default, or empty. */
  Optional<String> get(String key);

  default String get(String key, String fallback) {
    return get(key).orElse(fallback);
  }

  /** The value of a required setting; throws {@link IllegalStateException} naming the key if unset. */
  default String require(String key) {
    return get(key)
        .orElseThrow(() -> new IllegalStateException("setting " + key + " is required but not set"));
  }

  default Optional<Duration> duration(String key) {
    return get(key).map(Durations::parse);
  }

  default Optional<Integer> integer(String key) {
    return get(key).map(v -> Integer.parseInt(v.trim()));
  }

  default boolean bool(String key) {
    return get(key).map(v -> Boolean.parseBoolean(v.trim())).orElse(false);
  }

  default Optional<Path> path(String key) {
    return get(key).map(v -> Path.of(v.trim()));
  }

  /** A comma-separated value as a list of trimmed, non-empty items. */
  default List<String> list(String key) {
    return get(key).map(Durations::splitList).orElse(List.of());
  }

  /**
   * Every key that has a value of its own (not only a default): for families whose keys the user
   * names, such as {@code PULSE_CHECK_<NAME>}. Implementations that cannot list keys return none.
   */
  default Set<String> keys() {
    return Set.of();
  }
}
