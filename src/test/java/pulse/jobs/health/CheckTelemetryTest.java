package pulse.jobs.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import pulse.api.CheckEvent;
import pulse.config.MapSettings;

/** Each check is a child span of the run with outcome and latency; up gauge and latency histogram per check; one event each. */
class CheckTelemetryTest {

  @Test
  void eachCheckIsAChildSpanWithMetricsAndOneEvent() throws Exception {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    InMemoryMetricReader metrics = InMemoryMetricReader.create();
    OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
        .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
        .build();
    List<CheckEvent> events = new CopyOnWriteArrayList<>();
    try (ServerSocket open = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      MapSettings settings = new MapSettings(CheckSyntaxTest.env(
          "PULSE_CHECK_UP", "tcp://127.0.0.1:" + open.getLocalPort(),
          "PULSE_CHECK_DOWN", "cmd:false"), Map.of());
      Span run = otel.getTracer("test").spanBuilder("pulse.job health").startSpan();
      List<CheckResult> results;
      try (HealthRuntime rt = new HealthRuntime(CheckSyntax.parse(settings, null).checks(), null, otel, Clock.systemUTC(), 2,
          events::add)) {
        results = rt.runAll(Context.root().with(run));
        run.end();
        assertThat(results).extracting(CheckResult::name, CheckResult::state)
            .containsExactly(org.assertj.core.groups.Tuple.tuple("down", "failed"), org.assertj.core.groups.Tuple.tuple("up", "ok"));

        SpanData down = span(spans, "pulse.check down");
        SpanData up = span(spans, "pulse.check up");
        String runSpanId = run.getSpanContext().getSpanId();
        assertThat(up.getParentSpanId()).isEqualTo(runSpanId);
        assertThat(down.getParentSpanId()).isEqualTo(runSpanId);
        assertThat(up.getTraceId()).isEqualTo(run.getSpanContext().getTraceId());
        assertThat(up.getAttributes().get(AttributeKey.stringKey("pulse.check.outcome"))).isEqualTo("ok");
        assertThat(up.getAttributes().get(AttributeKey.longKey("pulse.check.latency_ms"))).isNotNull();
        assertThat(up.getAttributes().get(AttributeKey.stringKey("pulse.check.kind"))).isEqualTo("tcp");
        assertThat(down.getAttributes().get(AttributeKey.stringKey("pulse.check.outcome"))).isEqualTo("failed");
        assertThat(down.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(down.getStatus().getDescription()).isEqualTo("false exited 1 (expected 0)");

        List<MetricData> m = List.copyOf(metrics.collectAllMetrics());
        MetricData gauge = m.stream().filter(d -> d.getName().equals("pulse.check.up")).findFirst().orElseThrow();
        assertThat(gauge.getLongGaugeData().getPoints()).extracting(
            p -> p.getAttributes().get(CheckRunner.CHECK) + "=" + p.getValue()).containsExactlyInAnyOrder("up=1", "down=0");
        MetricData latency = m.stream().filter(d -> d.getName().equals("pulse.check.latency")).findFirst().orElseThrow();
        assertThat(latency.getUnit()).isEqualTo("s");
        assertThat(latency.getHistogramData().getPoints()).extracting(p -> p.getAttributes().get(CheckRunner.CHECK))
            .containsExactlyInAnyOrder("up", "down");
      }
    }
    assertThat(events).hasSize(2);
    CheckEvent downEvent = events.stream().filter(e -> e.source().equals("check:down")).findFirst().orElseThrow();
    assertThat(downEvent.ok()).isFalse();
    assertThat(downEvent.error()).isEqualTo("false exited 1 (expected 0)");
    assertThat(downEvent.latency()).isNotNull();
    assertThat(downEvent.traceId()).isEqualTo(span(spans, "pulse.check down").getTraceId());
    CheckEvent upEvent = events.stream().filter(e -> e.source().equals("check:up")).findFirst().orElseThrow();
    assertThat(upEvent.ok()).isTrue();
    assertThat(upEvent.error()).isNull();
    otel.close();
  }

  private static SpanData span(InMemorySpanExporter spans, String name) {
    return spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
  }
}
