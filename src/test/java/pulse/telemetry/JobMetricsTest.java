package pulse.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobMetricsTest {

  private static MetricData metric(Collection<MetricData> all, String name) {
    return all.stream().filter(m -> m.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no metric " + name + " in " + all));
  }

  @Test
  void runsDurationSkipsLatenessAndLastSuccessAreLabelledJobId() {
    InMemoryMetricReader reader = InMemoryMetricReader.create();
    try (SdkMeterProvider meters = SdkMeterProvider.builder().registerMetricReader(reader).build()) {
      JobMetrics m = new JobMetrics(meters.get("pulse"));
      m.recordRun("backup", "success", Duration.ofMillis(1500));
      m.recordRun("backup", "success", Duration.ofMillis(500));
      m.recordRun("backup", "failed", Duration.ofSeconds(3));
      m.recordSkip("backup", "overlap");
      m.recordLateness("backup", Duration.ofMillis(7));
      m.recordSuccess("backup", Instant.ofEpochSecond(1_790_000_000L));

      Collection<MetricData> all = reader.collectAllMetrics();
      Attributes ok = Attributes.of(JobMetrics.JOB_ID, "backup", JobMetrics.OUTCOME, "success");
      Attributes failed = Attributes.of(JobMetrics.JOB_ID, "backup", JobMetrics.OUTCOME, "failed");

      MetricData runs = metric(all, "pulse.job.runs");
      assertThat(runs.getLongSumData().getPoints())
          .anySatisfy(p -> {
            assertThat(p.getAttributes()).isEqualTo(ok);
            assertThat(p.getValue()).isEqualTo(2);
          })
          .anySatisfy(p -> {
            assertThat(p.getAttributes()).isEqualTo(failed);
            assertThat(p.getValue()).isEqualTo(1);
          });

      MetricData duration = metric(all, "pulse.job.duration");
      assertThat(duration.getUnit()).isEqualTo("s");
      assertThat(duration.getHistogramData().getPoints()).anySatisfy(p -> {
        assertThat(p.getAttributes()).isEqualTo(ok);
        assertThat(p.getCount()).isEqualTo(2);
        assertThat(p.getSum()).isEqualTo(2.0);
        assertThat(p.getBoundaries()).isEqualTo(JobMetrics.DURATION_BUCKETS);
      });

      assertThat(metric(all, "pulse.job.skips").getLongSumData().getPoints()).singleElement()
          .satisfies(p -> assertThat(p.getAttributes()).isEqualTo(Attributes.of(JobMetrics.JOB_ID, "backup", JobMetrics.REASON, "overlap")));
      assertThat(metric(all, "pulse.job.lateness").getHistogramData().getPoints()).singleElement()
          .satisfies(p -> assertThat(p.getSum()).isEqualTo(0.007));
      assertThat(metric(all, "pulse.job.last_success").getDoubleGaugeData().getPoints()).singleElement().satisfies(p -> {
        assertThat(p.getAttributes()).isEqualTo(Attributes.of(JobMetrics.JOB_ID, "backup"));
        assertThat(p.getValue()).isEqualTo(1_790_000_000.0);
      });
      all.forEach(md -> assertThat(md.getData().getPoints())
          .allSatisfy(p -> assertThat(p.getAttributes().asMap().keySet()).noneMatch(k -> k.getKey().equals("job"))));
    }
  }

  @Test
  void prometheusTextHasTheMetricsWithJobIdLabels() {
    try (Telemetry t = Telemetry.start(Map.of(), "9.9.9")) {
      t.metrics().recordRun("it-tick", "success", Duration.ofMillis(20));
      t.metrics().recordSuccess("it-tick", Instant.ofEpochSecond(1_790_000_000L));
      String text = t.prometheusText();
      assertThat(text)
          .contains("pulse_job_runs_total{job_id=\"it-tick\",outcome=\"success\"} 1")
          .contains("pulse_job_duration_seconds_count{job_id=\"it-tick\",outcome=\"success\"} 1")
          .contains("pulse_job_last_success_seconds{job_id=\"it-tick\"} 1.79E9")
          .contains("service_name=\"pulse\"", "service_version=\"9.9.9\"")
          .doesNotContain("job=\"");
      assertThat(t.exporterDescription()).startsWith("nothing exported");
    }
  }
}
