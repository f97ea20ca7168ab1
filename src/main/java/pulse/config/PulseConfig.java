package pulse.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The validated configuration, built once at startup by {@link ConfigLoader}.
 *
 * @param jobs per-job overrides by job id (every discovered job has an entry)
 * @param settings every setting, for jobs and extensions
 * @param effective the settings worth printing at startup, secrets already masked
 */
public record PulseConfig(
    Path stateDir,
    Path pluginsDir,
    Optional<Path> envFile,
    DatabaseConfig database,
    ApiConfig api,
    SchedulerConfig scheduler,
    Optional<String> traceUrl,
    Duration historyRetention,
    String logLevel,
    Map<String, JobSettings> jobs,
    MapSettings settings,
    Redactor redactor,
    Map<String, String> effective) {

  public JobSettings job(String id) {
    return jobs.getOrDefault(id, JobSettings.DEFAULTS);
  }

  @Override
  public String toString() {
    return "PulseConfig" + effective;
  }
}
