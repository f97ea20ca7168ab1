package pulse.store;

import java.time.Instant;

/** What is known when a run starts. */
public record NewRun(
    String jobId, String trigger, Instant scheduledAt, Instant startedAt, String traceId) {}
