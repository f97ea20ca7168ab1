package pulse.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.testing.DaemonProcess;
import pulse.testing.OtlpReceiver;
import pulse.testing.TestPluginJar;

/**
 * The built jar exporting to a real OTLP/HTTP receiver on loopback: run spans, metrics and logs,
 * settings from the env file, secrets in none of them, everything flushed on SIGTERM.
 */
class TelemetryIT {
  private static final String FILE_SECRET = "file-secret-4d3c2b1a0f";
  private static final String API_TOKEN = "api-token-9a8b7c6d5e4f";
  @TempDir Path dir;

  private DaemonProcess daemon(Map<String, String> env, String envFile) throws Exception {
    Path file = dir.resolve(".env");
    Files.writeString(file, envFile);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    DaemonProcess d = new DaemonProcess(dir, env);
    TestPluginJar.write(d.pluginsDir());
    return d;
  }

  private static String attr(Span s, String key) {
    return OtlpReceiver.attribute(s.getAttributesList(), key).orElse(null);
  }

  @Test
  void runsAreExportedAsSpansMetricsAndLogsWithoutSecrets() throws Exception {
    try (OtlpReceiver receiver = new OtlpReceiver()) {
      Map<String, String> env = new HashMap<>(Map.of(
          "OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(),
          "OTEL_BSP_SCHEDULE_DELAY", "200",
          "OTEL_BLRP_SCHEDULE_DELAY", "200",
          "PULSE_API_TOKEN", API_TOKEN,
          "PULSE_JOB_IT_TICK_SCHEDULE", "every 1s",
          "PULSE_JOB_IT_FAIL_SCHEDULE", "every 1s"));
      // OTEL_* from the env file work too; IT_SECRET_TOKEN is what it-fail leaks into its error.
      String envFile = "OTEL_METRIC_EXPORT_INTERVAL=1000\n"
          + "OTEL_RESOURCE_ATTRIBUTES=deployment.environment=it\n"
          + "IT_SECRET_TOKEN=" + FILE_SECRET + "\n";
      try (DaemonProcess d = daemon(env, envFile).startWithoutApi()) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
          assertThat(receiver.spansNamed("pulse.job it-tick")).isNotEmpty();
          assertThat(receiver.spansNamed("pulse.job it-fail")).isNotEmpty();
          assertThat(receiver.metricsNamed("pulse.job.runs")).isNotEmpty();
          Set<String> failTraces = traceIds(receiver.spansNamed("pulse.job it-fail"));
          assertThat(receiver.logRecords()).anyMatch(r -> failTraces.contains(OtlpReceiver.hex(r.getTraceId()))
              && r.getBody().getStringValue().contains("failed after"));
        });
        assertThat(d.output()).contains("Telemetry export: traces via OTLP http/protobuf to " + receiver.endpoint());

        Span tick = receiver.spansNamed("pulse.job it-tick").get(0);
        assertThat(tick.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_INTERNAL);
        assertThat(attr(tick, "pulse.job.id")).isEqualTo("it-tick");
        assertThat(attr(tick, "pulse.job.trigger")).isEqualTo("schedule");
        assertThat(attr(tick, "pulse.job.outcome")).isEqualTo("success");
        assertThat(attr(tick, "pulse.job.scheduled_time")).matches("\\d{4}-\\d{2}-\\d{2}T.*Z");
        assertThat(attr(tick, "pulse.job.lateness_ms")).matches("\\d+");
        assertThat(attr(tick, "pulse.run.id")).matches("\\d+");
        assertThat(attr(tick, "pulse.summary.trigger")).isEqualTo("schedule");
        assertThat(tick.getStatus().getCode()).isNotEqualTo(Status.StatusCode.STATUS_CODE_ERROR);

        Span fail = receiver.spansNamed("pulse.job it-fail").get(0);
        assertThat(attr(fail, "pulse.job.outcome")).isEqualTo("failed");
        assertThat(attr(fail, "error.type")).isEqualTo("pulse.api.JobFailedException");
        assertThat(attr(fail, "error.message")).isEqualTo("remote refused token ****; rotate it");
        assertThat(fail.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
        assertThat(fail.getEventsList()).anySatisfy(e -> {
          assertThat(e.getName()).isEqualTo("exception");
          assertThat(OtlpReceiver.attribute(e.getAttributesList(), "exception.message")).hasValue("remote refused token ****; rotate it");
        });

        assertThat(receiver.traceResource()).containsEntry("service.name", "pulse")
            .containsEntry("deployment.environment", "it").containsKey("service.version");

        List<NumberDataPoint> runs = receiver.metricsNamed("pulse.job.runs").stream()
            .flatMap(m -> m.getSum().getDataPointsList().stream()).toList();
        assertThat(runs).allSatisfy(p -> assertThat(p.getAttributesList()).noneMatch(kv -> kv.getKey().equals("job")));
        assertThat(runs).anySatisfy(p -> {
          assertThat(OtlpReceiver.attribute(p.getAttributesList(), "job_id")).hasValue("it-fail");
          assertThat(OtlpReceiver.attribute(p.getAttributesList(), "outcome")).hasValue("failed");
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> !receiver.metricsNamed("pulse.job.duration").isEmpty()
            && !receiver.metricsNamed("pulse.job.last_success").isEmpty());
        Metric last = receiver.metricsNamed("pulse.job.last_success").get(0);
        assertThat(last.getGauge().getDataPointsList()).allSatisfy(p ->
            assertThat(OtlpReceiver.attribute(p.getAttributesList(), "job_id")).hasValue("it-tick"));

        // The job's own log line, written inside its span, carries the trace id and no secret.
        Set<String> failTraces = traceIds(receiver.spansNamed("pulse.job it-fail"));
        List<LogRecord> jobLines = receiver.logRecords().stream()
            .filter(r -> r.getBody().getStringValue().startsWith("about to fail using")).toList();
        assertThat(jobLines).isNotEmpty().allSatisfy(r -> {
          assertThat(r.getBody().getStringValue()).isEqualTo("about to fail using ****");
          assertThat(failTraces).contains(OtlpReceiver.hex(r.getTraceId()));
        });

        assertThat(d.output()).contains("remote refused token ****", "trace_id=")
            .doesNotContain(FILE_SECRET).doesNotContain(API_TOKEN);
        assertThat(receiver.anyRequestContains(FILE_SECRET)).isFalse();
        assertThat(receiver.anyRequestContains(API_TOKEN)).isFalse();
        assertThat(d.signal("TERM")).isEqualTo(143);
        assertThat(d.output()).doesNotContain(FILE_SECRET).doesNotContain(API_TOKEN);
      }
      assertThat(receiver.anyRequestContains(FILE_SECRET)).isFalse();
    }
  }

  @Test
  void sigtermFlushesPendingSpansMetricsAndLogs() throws Exception {
    try (OtlpReceiver receiver = new OtlpReceiver()) {
      // Batches that would wait ten minutes: only the shutdown flush can deliver them.
      Map<String, String> env = Map.of(
          "OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(),
          "OTEL_BSP_SCHEDULE_DELAY", "600000",
          "OTEL_BLRP_SCHEDULE_DELAY", "600000",
          "OTEL_METRIC_EXPORT_INTERVAL", "600000",
          "PULSE_SHUTDOWN_GRACE", "1s",
          "PULSE_JOB_IT_TICK_SCHEDULE", "every 1s",
          "PULSE_JOB_IT_SLEEP_SCHEDULE", "every 1s");
      try (DaemonProcess d = daemon(env, "").startWithoutApi()) {
        await().atMost(Duration.ofSeconds(20)).until(() ->
            d.output().contains("of it-tick succeeded") && d.output().contains("sleeping until cancelled"));
        assertThat(receiver.spans()).isEmpty();
        assertThat(d.signal("TERM")).isEqualTo(143);
      }
      assertThat(receiver.spansNamed("pulse.job it-tick")).isNotEmpty()
          .allSatisfy(s -> assertThat(attr(s, "pulse.job.outcome")).isEqualTo("success"));
      // The run stopped by the shutdown ends after the scheduler stops, and is still exported.
      assertThat(receiver.spansNamed("pulse.job it-sleep")).singleElement()
          .satisfies(s -> assertThat(attr(s, "pulse.job.outcome")).isEqualTo("interrupted"));
      assertThat(receiver.metricsNamed("pulse.job.runs")).isNotEmpty();
      assertThat(receiver.logRecords()).anyMatch(r -> r.getBody().getStringValue().contains("of it-tick succeeded"));
    }
  }

  private static Set<String> traceIds(List<Span> spans) {
    return spans.stream().map(s -> OtlpReceiver.hex(s.getTraceId())).collect(Collectors.toSet());
  }
}
