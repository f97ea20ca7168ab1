package pulse.testing;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import pulse.api.Job;
import pulse.config.ConfigLoader;
import pulse.config.EnvSources;
import pulse.config.PulseConfig;
import pulse.core.Discovery;

/** Builds validated configurations and discovery results for in-process tests. */
public final class TestConfigs {
  private TestConfigs() {}

  public static Discovery.Found found(Job... jobs) {
    Map<String, String> sources = new HashMap<>();
    for (Job j : jobs) {
      sources.put(j.id(), "test");
    }
    return new Discovery.Found(List.of(jobs), List.of(), sources, List.of());
  }

  public static PulseConfig config(Path stateDir, Discovery.Found found, Map<String, String> env) {
    Map<String, String> all = new HashMap<>(env);
    all.put("PULSE_STATE_DIR", stateDir.toString());
    all.putIfAbsent("PULSE_API_PORT", "0");
    return ConfigLoader.load(new EnvSources(Map.of(), all, Optional.empty()), found.declaredSettings(), found.jobIds(), found.extensions());
  }
}
