package pulse.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import pulse.config.Redactor;
import pulse.testing.OtlpReceiver;

/** The real SDK as {@link Telemetry#start} builds it, exporting to a real OTLP receiver on loopback. */
class TelemetryExportTest {
  private static final String TOKEN = "pylf_v1_eu_0123456789abcdefXYZ";

  @AfterEach
  void reset() {
    Redactor.install(new Redactor(List.of()));
  }

  @Test
  void logfireTokenSendsTracesMetricsAndLogsWithTheBareTokenAsAuthorization() throws Exception {
    Redactor.install(new Redactor(List.of(TOKEN)));
    try (OtlpReceiver receiver = new OtlpReceiver()) {
      // LOGFIRE_BASE_URL points the Logfire setup at the local receiver: no network, same headers.
      Telemetry t = Telemetry.start(Map.of("LOGFIRE_TOKEN", TOKEN, "LOGFIRE_BASE_URL", receiver.endpoint()), "1.2.3");
      assertThat(t.exporterDescription()).contains(receiver.endpoint(), "Logfire").doesNotContain(TOKEN);
      Span span = RunSpan.start(t.tracer(), "hello", "manual", Instant.now(), Duration.ZERO);
      try (Scope ignored = span.makeCurrent()) {
        LoggerFactory.getLogger("pulse.job.hello").info("inside the run, token {}", TOKEN);
      }
      RunSpan.end(span, "success", false, null, null, null);
      t.metrics().recordRun("hello", "success", Duration.ofMillis(5));
      t.close(); // flushes all three signals

      assertThat(receiver.spansNamed("pulse.job hello")).hasSize(1);
      assertThat(receiver.traceResource()).containsEntry("service.name", "pulse").containsEntry("service.version", "1.2.3");
      assertThat(receiver.metricsNamed("pulse.job.runs")).isNotEmpty();
      String traceId = span.getSpanContext().getTraceId();
      assertThat(receiver.logRecords()).anySatisfy(r -> {
        assertThat(r.getBody().getStringValue()).isEqualTo("inside the run, token ****");
        assertThat(OtlpReceiver.hex(r.getTraceId())).isEqualTo(traceId);
      });
      assertThat(receiver.headers).isNotEmpty().allSatisfy(h -> assertThat(h).containsEntry("authorization", TOKEN));
      assertThat(receiver.anyRequestContains(TOKEN)).isFalse();
    }
  }

  @Test
  void withNothingConfiguredNothingIsSentAndCloseIsQuick() {
    Telemetry t = Telemetry.start(Map.of(), "1.2.3");
    Span span = RunSpan.start(t.tracer(), "quiet", "manual", Instant.now(), Duration.ZERO);
    assertThat(span.getSpanContext().isValid()).isTrue(); // trace ids still exist for the run history
    RunSpan.end(span, "success", false, null, null, null);
    long t0 = System.nanoTime();
    t.close();
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
  }
}
