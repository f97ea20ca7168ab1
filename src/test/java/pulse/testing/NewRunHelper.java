package pulse.testing;

import java.time.Instant;
import pulse.api.Trigger;
import pulse.store.NewRun;

/** Builds history rows for tests. */
public final class NewRunHelper {
  private NewRunHelper() {}

  public static NewRun running(String jobId) {
    Instant now = Instant.now();
    return new NewRun(jobId, Trigger.SCHEDULE.label(), now, now, "0".repeat(32));
  }
}
