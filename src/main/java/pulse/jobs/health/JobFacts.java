package pulse.jobs.health;

import java.time.Instant;
import java.util.Map;

/** What a job check needs from the daemon: the run history's last successes, and when it started. */
interface JobFacts {

  /** Last success (or partial) per job id; jobs that never succeeded are absent. */
  Map<String, Instant> lastSuccessByJob();

  /** When the daemon started: a job that never succeeded is measured from here. */
  Instant since();
}
