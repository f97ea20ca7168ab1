package pulse.jobs.backup;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;

/**
 * Per-run backup figures for trends ("is the backup getting slower, or growing?"): one histogram
 * point per run, labelled {@code job_id} ({@code job} would become {@code exported_job} in
 * Prometheus).
 */
final class BackupMetrics {
  static final AttributeKey<String> JOB_ID = AttributeKey.stringKey("job_id");

  private final DoubleHistogram duration;
  private final LongHistogram bytesAdded;

  BackupMetrics(OpenTelemetry otel) {
    Meter meter = otel.getMeter("pulse.backup");
    duration = meter.histogramBuilder("pulse.backup.duration").setUnit("s")
        .setDescription("how long restic backup took, per run").build();
    bytesAdded = meter.histogramBuilder("pulse.backup.bytes_added").ofLongs().setUnit("By")
        .setDescription("bytes restic added to the repository, per run").build();
  }

  static BackupMetrics noop() {
    return new BackupMetrics(OpenTelemetry.noop());
  }

  void record(String jobId, BackupOutput.Summary s) {
    Attributes a = Attributes.of(JOB_ID, jobId);
    duration.record(s.totalDurationSeconds(), a);
    bytesAdded.record(s.dataAdded(), a);
  }
}
