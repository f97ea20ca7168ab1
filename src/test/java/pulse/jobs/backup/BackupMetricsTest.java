package pulse.jobs.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.api.CheckEvent;
import pulse.api.ExtensionContext;
import pulse.api.RunEvent;
import pulse.api.Settings;
import pulse.api.Transactions;
import pulse.api.Trigger;
import pulse.store.Outcome;
import pulse.store.RunRecord;

/** Duration and bytes added per run, labelled with the job id, through the daemon's OpenTelemetry. */
class BackupMetricsTest {
  @TempDir Path dir;

  @Test
  void eachBackupRecordsItsDurationAndBytesAdded() throws Exception {
    ResticFixture.assumeRestic();
    Path repo = ResticFixture.newRepo(dir);
    Path src = Files.createDirectories(dir.resolve("src"));
    ResticFixture.randomFile(src.resolve("data.bin"), 100_000);
    InMemoryMetricReader reader = InMemoryMetricReader.create();
    try (OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
        .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(reader).build()).build()) {
      BackupHarness h = new BackupHarness(dir.resolve("state"), Map.of("RESTIC_REPOSITORY", repo.toString(),
          "RESTIC_PASSWORD", ResticFixture.PASSWORD, "PULSE_BACKUP_PATHS", src.toString()));
      h.extension.start(context(h.config.settings(), otel));

      RunRecord r = h.run("backup");
      assertThat(r.outcome()).as(r.errorMessage()).isEqualTo(Outcome.SUCCESS);

      Map<String, MetricData> byName = new java.util.HashMap<>();
      reader.collectAllMetrics().forEach(m -> byName.put(m.getName(), m));
      assertThat(byName).containsKeys("pulse.backup.duration", "pulse.backup.bytes_added");
      var bytes = byName.get("pulse.backup.bytes_added").getHistogramData().getPoints().iterator().next();
      assertThat(bytes.getCount()).isEqualTo(1);
      assertThat(bytes.getSum()).isGreaterThanOrEqualTo(100_000);
      assertThat(bytes.getAttributes().get(BackupMetrics.JOB_ID)).isEqualTo("backup");
      assertThat(byName.get("pulse.backup.duration").getUnit()).isEqualTo("s");

      // the status page section shows the snapshot and each job's last outcome, escaped
      h.extension.runFinished(new RunEvent("backup-check", 7, Trigger.SCHEDULE, Instant.now(), Instant.now(),
          Instant.now(), "failed", true, "repository <x> has errors", null, "t"));
      String html = h.extension.statusSection().orElseThrow().html();
      assertThat(html).contains("Last snapshot <code>" + r.summary().get("snapshot_id") + "</code>")
          .contains("1 snapshots kept").contains("failed: repository &lt;x&gt; has errors");
    }
  }

  private static ExtensionContext context(Settings settings, OpenTelemetry otel) {
    return new ExtensionContext() {
      @Override public Settings settings() { return settings; }
      @Override public Clock clock() { return Clock.systemUTC(); }
      @Override public DataSource dataSource() { throw new UnsupportedOperationException(); }
      @Override public Transactions transactions() { throw new UnsupportedOperationException(); }
      @Override public OpenTelemetry openTelemetry() { return otel; }
      @Override public Path stateDir() { return Path.of("."); }
      @Override public Set<String> jobIds() { return Set.of(); }
      @Override public Map<String, Instant> lastSuccessByJob() { return Map.of(); }
      @Override public void publish(CheckEvent event) {}
    };
  }
}
