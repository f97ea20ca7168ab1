package pulse.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The run metrics. Labels are {@code job_id}, never {@code job}: Prometheus renames a scraped
 * {@code job} label to {@code exported_job} because it sets {@code job} itself.
 */
public final class JobMetrics {
  public static final AttributeKey<String> JOB_ID = AttributeKey.stringKey("job_id");
  public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outcome");
  public static final AttributeKey<String> REASON = AttributeKey.stringKey("reason");
  /** Seconds; runs take from milliseconds (a ping) to hours (a backup). */
  static final List<Double> DURATION_BUCKETS =
      List.of(0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0, 1800.0, 3600.0, 7200.0, 14400.0);
  /** Seconds; on time is a few milliseconds, a catch-up can be up to the misfire grace (1 h). */
  static final List<Double> LATENESS_BUCKETS =
      List.of(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0, 30.0, 60.0, 300.0, 1800.0, 3600.0);

  private final LongCounter runs;
  private final DoubleHistogram duration;
  private final DoubleHistogram lateness;
  private final LongCounter skips;
  private final Map<String, Double> lastSuccess = new ConcurrentHashMap<>();

  public JobMetrics(Meter meter) {
    runs = meter.counterBuilder("pulse.job.runs").setUnit("{run}")
        .setDescription("Finished runs by job and outcome").build();
    duration = meter.histogramBuilder("pulse.job.duration").setUnit("s")
        .setDescription("Run duration").setExplicitBucketBoundariesAdvice(DURATION_BUCKETS).build();
    lateness = meter.histogramBuilder("pulse.job.lateness").setUnit("s")
        .setDescription("How long after its due time a scheduled run started")
        .setExplicitBucketBoundariesAdvice(LATENESS_BUCKETS).build();
    skips = meter.counterBuilder("pulse.job.skips").setUnit("{fire}")
        .setDescription("Fires that did not start a run, by reason: overlap, coalesced, misfire").build();
    meter.gaugeBuilder("pulse.job.last_success").setUnit("s")
        .setDescription("When the job last succeeded, in Unix seconds")
        .buildWithCallback(m -> lastSuccess.forEach((id, t) -> m.record(t, Attributes.of(JOB_ID, id))));
  }

  public void recordRun(String jobId, String outcome, Duration took) {
    Attributes a = Attributes.of(JOB_ID, jobId, OUTCOME, outcome);
    runs.add(1, a);
    duration.record(took.toNanos() / 1e9, a);
  }

  /** Lateness of a run started by its schedule (manual runs are never late). */
  public void recordLateness(String jobId, Duration late) {
    lateness.record(late.toNanos() / 1e9, Attributes.of(JOB_ID, jobId));
  }

  public void recordSkip(String jobId, String reason) {
    skips.add(1, Attributes.of(JOB_ID, jobId, REASON, reason));
  }

  public void recordSuccess(String jobId, Instant at) {
    lastSuccess.put(jobId, at.toEpochMilli() / 1000.0);
  }
}
