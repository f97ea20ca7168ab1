package pulse.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pulse.api.JobFailedException;
import pulse.config.Redactor;

class RunSpanTest {
  private static final String SECRET = "tok-9f8e7d6c5b4a";
  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private SdkTracerProvider tracers;

  @BeforeEach
  void setUp() {
    tracers = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
    Redactor.install(new Redactor(List.of(SECRET)));
  }

  @AfterEach
  void tearDown() {
    tracers.close();
    Redactor.install(new Redactor(List.of()));
  }

  private SpanData only() {
    assertThat(spans.getFinishedSpanItems()).hasSize(1);
    return spans.getFinishedSpanItems().get(0);
  }

  @Test
  void aSuccessfulRunIsOneInternalRootSpanWithItsAttributes() {
    Instant due = Instant.parse("2026-11-24T10:00:00Z");
    Span span = RunSpan.start(tracers.get("t"), "backup", "catch-up", due, Duration.ofMillis(1234));
    RunSpan.end(span, "success", false, null, null, null);

    SpanData s = only();
    assertThat(s.getName()).isEqualTo("pulse.job backup");
    assertThat(s.getKind()).isEqualTo(SpanKind.INTERNAL);
    assertThat(s.getParentSpanContext().isValid()).isFalse();
    assertThat(s.getAttributes().get(RunSpan.JOB_ID)).isEqualTo("backup");
    assertThat(s.getAttributes().get(RunSpan.TRIGGER)).isEqualTo("catch-up");
    assertThat(s.getAttributes().get(RunSpan.SCHEDULED_TIME)).isEqualTo("2026-11-24T10:00:00Z");
    assertThat(s.getAttributes().get(RunSpan.LATENESS_MS)).isEqualTo(1234L);
    assertThat(s.getAttributes().get(RunSpan.OUTCOME)).isEqualTo("success");
    assertThat(s.getAttributes().get(RunSpan.ERROR_TYPE)).isNull();
    assertThat(s.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(s.getEvents()).isEmpty();
  }

  @Test
  void aFailureSetsErrorAttributesStatusAndAnExceptionEventWithTheSecretMasked() {
    Exception cause = new IllegalStateException("server said no to " + SECRET);
    JobFailedException e = new JobFailedException("login with " + SECRET + " refused", cause);
    Span span = RunSpan.start(tracers.get("t"), "fetch", "schedule", Instant.now(), Duration.ZERO);
    RunSpan.end(span, "failed", true, e.getClass().getName(), "login with " + SECRET + " refused", e);

    SpanData s = only();
    assertThat(s.getAttributes().get(RunSpan.OUTCOME)).isEqualTo("failed");
    assertThat(s.getAttributes().get(RunSpan.ERROR_TYPE)).isEqualTo(JobFailedException.class.getName());
    assertThat(s.getAttributes().get(RunSpan.ERROR_MESSAGE)).isEqualTo("login with **** refused");
    assertThat(s.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(s.getStatus().getDescription()).isEqualTo("login with **** refused");

    assertThat(s.getEvents()).hasSize(1);
    EventData ev = s.getEvents().get(0);
    assertThat(ev.getName()).isEqualTo("exception");
    assertThat(ev.getAttributes().get(RunSpan.EXCEPTION_TYPE)).isEqualTo(JobFailedException.class.getName());
    assertThat(ev.getAttributes().get(RunSpan.EXCEPTION_MESSAGE)).isEqualTo("login with **** refused");
    assertThat(ev.getAttributes().get(RunSpan.EXCEPTION_STACKTRACE))
        .contains("Caused by: java.lang.IllegalStateException: server said no to ****", "RunSpanTest");
    assertThat(s.toString()).doesNotContain(SECRET);
  }

  @Test
  void aTimeoutIsAnErrorWithoutAnException() {
    Span span = RunSpan.start(tracers.get("t"), "slow", "schedule", Instant.now(), Duration.ZERO);
    RunSpan.end(span, "timeout", true, "Timeout", "did not finish within 1m", null);
    SpanData s = only();
    assertThat(s.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(s.getAttributes().get(RunSpan.ERROR_TYPE)).isEqualTo("Timeout");
    assertThat(s.getEvents()).isEmpty();
  }

  @Test
  void theExporterMasksSecretsThatJobCodePutOnItsSpan() {
    // Closing the provider would shut down (and empty) the in-memory exporter: read first.
    SdkTracerProvider p = SdkTracerProvider.builder()
        .addSpanProcessor(SimpleSpanProcessor.create(new RedactingSpanExporter(spans))).build();
    Span span = RunSpan.start(p.get("t"), "leaky", "manual", Instant.now(), Duration.ZERO);
    span.setAttribute("pulse.summary.url", "https://u:" + SECRET + "@host/");
    span.recordException(new RuntimeException("raw " + SECRET));
    span.setStatus(StatusCode.ERROR, "because " + SECRET);
    span.end();
    SpanData s = only();
    assertThat(s.toString()).doesNotContain(SECRET);
    assertThat(s.getAttributes().asMap().values()).anyMatch(v -> v.toString().contains("https://u:****@host/"));
    assertThat(s.getEvents().get(0).getAttributes().asMap().values()).anyMatch(v -> v.toString().equals("raw ****"));
    assertThat(s.getStatus().getDescription()).isEqualTo("because ****");
    p.close();
  }
}
