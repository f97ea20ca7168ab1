package pulse.core;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import pulse.api.Trigger;
import pulse.config.MapSettings;
import pulse.config.Redactor;
import pulse.store.Database;
import pulse.store.JdbcRunHistory;
import pulse.store.RunRecord;
import pulse.telemetry.JobMetrics;
import pulse.telemetry.RunSpan;
import pulse.telemetry.Telemetry;
import pulse.testing.TestJob;

/** The runner's spans, metrics and log lines, with a real SDK and in-memory exporters. */
class JobRunnerTelemetryTest {
  private static final String SECRET = "runner-secret-31415926";
  @TempDir Path dir;
  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final InMemoryMetricReader metrics = InMemoryMetricReader.create();
  private final List<String> endLineTraceIds = new CopyOnWriteArrayList<>();
  private final AppenderBase<ILoggingEvent> capture = new AppenderBase<>() {
    @Override
    protected void append(ILoggingEvent e) {
      if (e.getFormattedMessage().contains(" failed after ") || e.getFormattedMessage().contains(" succeeded in ")) {
        endLineTraceIds.add(Span.current().getSpanContext().getTraceId());
      }
    }
  };
  private OpenTelemetrySdk sdk;
  private Database db;
  private JdbcRunHistory history;
  private JobRunner runner;

  @BeforeEach
  void open() {
    Redactor.install(new Redactor(List.of(SECRET)));
    sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
        .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
        .build();
    db = Database.openEmbedded(dir);
    db.migrate();
    history = new JdbcRunHistory(db);
    runner = new JobRunner(history, Telemetry.of(sdk), Clock.systemUTC(), new MapSettings(Map.of(), Map.of()), Instant.now());
    capture.start();
    ((Logger) LoggerFactory.getLogger(JobRunner.class)).addAppender(capture);
  }

  @AfterEach
  void close() {
    ((Logger) LoggerFactory.getLogger(JobRunner.class)).detachAppender(capture);
    runner.close();
    db.close();
    Redactor.install(new Redactor(List.of()));
  }

  private RunRecord run(TestJob job, Trigger trigger, Instant due) {
    runner.register(job, Duration.ofMinutes(1));
    long id = runner.fire(job.id(), trigger, due).orElseThrow();
    return LocalRun.await(history, id, Duration.ofSeconds(30));
  }

  private SpanData spanOf(RunRecord r) {
    // The span ends just after the history row: wait for it.
    org.awaitility.Awaitility.await().until(() -> spans.getFinishedSpanItems().stream()
        .anyMatch(s -> s.getTraceId().equals(r.traceId())));
    return spans.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(r.traceId())).findFirst().orElseThrow();
  }

  @Test
  void aFailedRunHasAnErrorSpanWithoutTheSecretAndItsEndLineCarriesTheTraceId() {
    RunRecord r = run(new TestJob("leaky", "@daily", ctx -> {
      throw new IllegalStateException("refused " + SECRET);
    }), Trigger.MANUAL, Instant.now());

    SpanData s = spanOf(r);
    assertThat(s.getName()).isEqualTo("pulse.job leaky");
    assertThat(s.getAttributes().get(RunSpan.OUTCOME)).isEqualTo("failed");
    assertThat(s.getAttributes().get(RunSpan.TRIGGER)).isEqualTo("manual");
    assertThat(s.getAttributes().get(RunSpan.ERROR_TYPE)).isEqualTo("java.lang.IllegalStateException");
    assertThat(s.getAttributes().get(RunSpan.ERROR_MESSAGE)).isEqualTo("refused ****");
    assertThat(s.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(s.getEvents()).singleElement().satisfies(e -> assertThat(e.getName()).isEqualTo("exception"));
    assertThat(s.toString()).doesNotContain(SECRET);
    assertThat(endLineTraceIds).contains(r.traceId());
  }

  @Test
  void aTimedOutRunEndsItsSpanAsAnError() {
    runner.register(new TestJob("hang", "@daily", ctx -> Thread.sleep(60_000)), Duration.ofMillis(200));
    long id = runner.fire("hang", Trigger.SCHEDULE, Instant.now()).orElseThrow();
    RunRecord r = LocalRun.await(history, id, Duration.ofSeconds(30));
    SpanData s = spanOf(r);
    assertThat(s.getAttributes().get(RunSpan.OUTCOME)).isEqualTo("timeout");
    assertThat(s.getAttributes().get(RunSpan.ERROR_TYPE)).isNotNull(); // what the job threw when interrupted, as in the history
    assertThat(s.getAttributes().get(RunSpan.ERROR_MESSAGE)).startsWith("did not finish within 200ms");
    assertThat(s.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
  }

  @Test
  void scheduledRunsRecordLatenessAndSuccessMetricsByJobId() {
    RunRecord r = run(new TestJob("tick", "@daily", ctx -> {}), Trigger.SCHEDULE, Instant.now().minusSeconds(2));
    assertThat(spanOf(r).getAttributes().get(RunSpan.LATENESS_MS)).isGreaterThanOrEqualTo(2000L);
    List<MetricData> all = List.copyOf(metrics.collectAllMetrics());
    assertThat(all).anySatisfy(m -> {
      assertThat(m.getName()).isEqualTo("pulse.job.lateness");
      assertThat(m.getHistogramData().getPoints()).singleElement()
          .satisfies(p -> assertThat(p.getAttributes().get(JobMetrics.JOB_ID)).isEqualTo("tick"));
    });
    assertThat(all).anySatisfy(m -> {
      assertThat(m.getName()).isEqualTo("pulse.job.runs");
      assertThat(m.getLongSumData().getPoints()).singleElement().satisfies(p -> {
        assertThat(p.getAttributes().get(JobMetrics.JOB_ID)).isEqualTo("tick");
        assertThat(p.getAttributes().get(JobMetrics.OUTCOME)).isEqualTo("success");
      });
    });
    assertThat(all).anySatisfy(m -> assertThat(m.getName()).isEqualTo("pulse.job.last_success"));
  }
}
