package pulse.config;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where settings come from: the env file and the process environment, kept apart because every
 * value from the file counts as a secret unless its key is a known non-secret setting.
 *
 * @param file entries declared in the env file (empty when there is none)
 * @param process the process environment
 * @param envFile the env file that was read, if any
 */
public record EnvSources(Map<String, String> file, Map<String, String> process, Optional<Path> envFile) {

  public EnvSources {
    file = Map.copyOf(file);
    process = Map.copyOf(process);
  }

  /** The file overlaid by the process environment: the environment wins. */
  public Map<String, String> merged() {
    Map<String, String> m = new HashMap<>(file);
    m.putAll(process);
    return Map.copyOf(m);
  }
}
