package pulse.core;

import java.time.Duration;
import pulse.api.Job;
import pulse.config.Schedule;

/**
 * A discovered job with its effective schedule and timeout, and whether it runs.
 *
 * @param schedule null only when the job's own default schedule is invalid (it is then disabled)
 * @param disabledReason null when enabled
 */
public record PlannedJob(Job job, Schedule schedule, Duration timeout, String disabledReason, String source) {

  public String id() {
    return job.id();
  }

  public boolean enabled() {
    return disabledReason == null;
  }
}
