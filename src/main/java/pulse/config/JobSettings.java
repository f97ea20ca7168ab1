package pulse.config;

import java.time.Duration;
import java.util.Optional;

/**
 * The per-job overrides: {@code PULSE_JOB_<ID>_SCHEDULE}, {@code _ENABLED} and {@code _TIMEOUT}.
 * Empty means "use the job's default".
 */
public record JobSettings(Optional<Schedule> schedule, Optional<Boolean> enabled, Optional<Duration> timeout) {
  public static final JobSettings DEFAULTS = new JobSettings(Optional.empty(), Optional.empty(), Optional.empty());
}
