package pulse.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import pulse.api.Job;
import pulse.api.Setting;
import pulse.config.CoreSettings;
import pulse.config.JobSettings;
import pulse.config.PulseConfig;
import pulse.config.Schedule;

/** Decides, once at startup, each job's schedule, timeout and whether it is enabled (and why not). */
public final class JobPlan {
  private JobPlan() {}

  public static List<PlannedJob> plan(Discovery.Found found, PulseConfig config) {
    List<PlannedJob> out = new ArrayList<>();
    for (Job job : found.jobs()) {
      out.add(plan(job, config, found.sources().getOrDefault(job.id(), "built-in")));
    }
    out.sort(Comparator.comparing(PlannedJob::id));
    return List.copyOf(out);
  }

  static PlannedJob plan(Job job, PulseConfig config, String source) {
    String prefix = CoreSettings.jobPrefix(job.id());
    JobSettings overrides = config.job(job.id());
    Duration timeout = overrides.timeout().orElseGet(() -> safe(job::defaultTimeout, Duration.ofHours(1)));
    Schedule schedule;
    String reason = null;
    try {
      schedule = overrides.schedule().orElseGet(() -> Schedule.parse(job.defaultSchedule()));
    } catch (RuntimeException e) {
      return new PlannedJob(job, null, timeout,
          "its default schedule is invalid (" + e.getMessage() + "); set " + prefix + "SCHEDULE", source);
    }
    if (overrides.enabled().isPresent() && !overrides.enabled().get()) {
      reason = "disabled by " + prefix + "ENABLED=false";
    } else {
      List<String> missing = new ArrayList<>();
      for (Setting s : safe(job::settings, List.<Setting>of())) {
        if (s.required() && config.settings().get(s.key()).isEmpty()) {
          missing.add(s.key());
        }
      }
      if (!missing.isEmpty()) {
        reason = "needs " + String.join(", ", missing);
      } else {
        try {
          reason = job.unavailableReason(config.settings()).orElse(null);
        } catch (RuntimeException | LinkageError e) {
          reason = "its unavailableReason() failed: " + e;
        }
      }
    }
    return new PlannedJob(job, schedule, timeout, reason, source);
  }

  /** Job code is plugin code: a default that throws must not stop the daemon. */
  private static <T> T safe(java.util.function.Supplier<T> s, T fallback) {
    try {
      return Optional.ofNullable(s.get()).orElse(fallback);
    } catch (RuntimeException | LinkageError e) {
      return fallback;
    }
  }
}
