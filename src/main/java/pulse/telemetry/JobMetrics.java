package pulse.telemetry;

import java.time.Duration;
import java.time.Instant;

/** Placeholder until the telemetry branch lands. */
public final class JobMetrics {
  public void recordRun(String jobId, String outcome, Duration duration, Duration lateness) {}

  public void recordSkip(String jobId, String reason) {}

  public void recordSuccess(String jobId, Instant at) {}
}
