package pulse.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.instrumentation.logback.appender.v1_0.OpenTelemetryAppender;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import pulse.config.Redactor;

/** Logback → OpenTelemetry logs, through the redacting exporter Pulse installs. */
class LogBridgeTest {
  private static final String SECRET = "key-77aa88bb99cc";

  @AfterEach
  void reset() {
    Redactor.install(new Redactor(List.of()));
  }

  @Test
  void bridgedRecordsCarryTraceIdsAndNoSecrets() {
    Redactor.install(new Redactor(List.of(SECRET)));
    InMemoryLogRecordExporter memory = InMemoryLogRecordExporter.create();
    OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().build())
        .setLoggerProvider(SdkLoggerProvider.builder()
            .addLogRecordProcessor(SimpleLogRecordProcessor.create(new RedactingLogRecordExporter(memory))).build())
        .build();
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter()); // a context of our own has none, and the bridge reads the MDC
    OpenTelemetryAppender appender = new OpenTelemetryAppender();
    appender.setContext(context);
    appender.start();
    appender.setOpenTelemetry(sdk); // as Telemetry.start installs it: after Logback started the appender
    Logger log = context.getLogger("pulse.job.fetch");
    log.addAppender(appender);

    Span span = sdk.getTracer("t").spanBuilder("pulse.job fetch").startSpan();
    try (Scope ignored = span.makeCurrent()) {
      log.error("remote refused {}", SECRET, new IllegalStateException("token " + SECRET + " expired"));
    } finally {
      span.end();
    }

    List<LogRecordData> records = memory.getFinishedLogRecordItems();
    assertThat(records).hasSize(1);
    LogRecordData r = records.get(0);
    assertThat(r.getBodyValue().asString()).isEqualTo("remote refused ****");
    assertThat(r.getSpanContext().getTraceId()).isEqualTo(span.getSpanContext().getTraceId());
    assertThat(r.getAttributes().asMap().values()).anyMatch(v -> v.toString().equals("token **** expired"));
    assertThat(r.getAttributes().asMap().values()).anyMatch(v -> v.toString().contains("java.lang.IllegalStateException: token **** expired"));
    assertThat(r.getAttributes().asMap().values()).noneMatch(v -> v.toString().contains(SECRET));
    sdk.close();
  }
}
