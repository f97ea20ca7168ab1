package pulse.config;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import pulse.api.Settings;

/** {@link Settings} over the merged environment, with the declared defaults filled in. */
public final class MapSettings implements Settings {
  private final Map<String, String> values;
  private final Map<String, String> defaults;

  public MapSettings(Map<String, String> values, Map<String, String> defaults) {
    this.values = Map.copyOf(values);
    this.defaults = Map.copyOf(defaults);
  }

  @Override
  public Optional<String> get(String key) {
    String v = values.get(key);
    if (v != null && !v.isBlank()) {
      return Optional.of(v.trim());
    }
    return Optional.ofNullable(defaults.get(key));
  }

  /** True if the key has a non-blank value of its own (not a default). */
  public boolean isSet(String key) {
    String v = values.get(key);
    return v != null && !v.isBlank();
  }

  @Override
  public Set<String> keys() {
    return values.entrySet().stream().filter(e -> e.getValue() != null && !e.getValue().isBlank())
        .map(Map.Entry::getKey).collect(Collectors.toUnmodifiableSet());
  }

  public Map<String, String> values() {
    return values;
  }
}
