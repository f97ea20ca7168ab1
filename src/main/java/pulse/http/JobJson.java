package pulse.http;

import java.time.Instant;
import java.util.Optional;
import pulse.core.JobView;

/** One job as the API shows it. */
record JobJson(
    String id,
    String description,
    String schedule,
    String timeout,
    boolean enabled,
    String disabledReason,
    Instant nextFire,
    boolean running,
    RunJson lastRun) {

  static JobJson of(JobView j, Optional<String> traceTemplate) {
    return new JobJson(j.id(), j.description(), j.schedule(), j.timeout(), j.enabled(), j.disabledReason(),
        j.nextFire(), j.running(), j.lastRun() == null ? null : RunJson.of(j.lastRun(), traceTemplate));
  }
}
