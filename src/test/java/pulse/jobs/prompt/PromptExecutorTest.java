package pulse.jobs.prompt;

import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import pulse.testing.StoreBackend;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.store.Database;

/** The executor running a real command against a real H2 database. */
@ParameterizedClass
@EnumSource(StoreBackend.class)
class PromptExecutorTest {
  @Parameter StoreBackend backend;
  @TempDir Path dir;
  Database db;
  PromptQueue queue;
  PromptExecutor executor;
  Path log;
  final List<PromptExecutor.Outcome> outcomes = new CopyOnWriteArrayList<>();

  @BeforeEach
  void open() {
    db = PromptTesting.database(backend, dir.resolve("state"));
    queue = new PromptQueue(db.store());
    log = dir.resolve("ran.log");
  }

  @AfterEach
  void close() {
    if (executor != null) {
      executor.close();
    }
    db.close();
  }

  private PromptExecutor start(ExecutorConfig config, OpenTelemetry otel) {
    executor = new PromptExecutor(queue, config, new PromptRunner(config, otel), Clock.systemUTC(), outcomes::add);
    executor.start();
    return executor;
  }

  private PromptExecutor start(ExecutorConfig config) {
    return start(config, OpenTelemetry.noop());
  }

  private PromptPulse add(String prompt, Priority p, Instant at) {
    return queue.insert(NewPulse.of(prompt, at, p, "test"), Instant.now());
  }

  private PulseStatus status(long id) {
    return queue.find(id).orElseThrow().status();
  }

  @Test
  void duePulsesRunOneAtATimeInPriorityOrderWithThePromptAsOneArgument() throws Exception {
    Path recorder = PromptTesting.recorder(dir, log);
    Instant past = Instant.now().minusSeconds(60);
    String tricky = "$(touch " + dir.resolve("pwned") + "); echo 'quoted' \"double\" | * ; rm -rf nothing";
    add("low", Priority.LOW, past);
    add("deferred", Priority.DEFERRED, past.minusSeconds(100));
    add("normal-2", Priority.NORMAL, past.plusSeconds(2));
    add("normal-1", Priority.NORMAL, past.plusSeconds(1));
    add(tricky, Priority.HIGH, past);
    add("critical", Priority.CRITICAL, past.plusSeconds(30));

    start(PromptTesting.config(List.of(recorder.toString()), 1, 1, Duration.ofSeconds(1), Duration.ofSeconds(30)));

    await().atMost(Duration.ofSeconds(20)).until(() -> PromptTesting.recorded(log).size() == 6);
    assertThat(PromptTesting.recorded(log)).containsExactly("critical", tricky, "normal-1", "normal-2", "low", "deferred");
    assertThat(Files.readAllLines(log)).allMatch(l -> l.startsWith("1|"));
    assertThat(dir.resolve("pwned")).doesNotExist();
    await().atMost(Duration.ofSeconds(5)).until(() -> queue.countByStatus().get("completed") == 6);
    PromptPulse done = queue.recent(1).get(0);
    assertThat(done.outputTail()).isEqualTo("ran critical");
    assertThat(done.exitCode()).isZero();
    assertThat(done.runMillis()).isNotNull();
  }

  @Test
  void aPulseScheduledForNowStartsWithinASecondAndARelativeOneWaitsItsTime() throws Exception {
    Path recorder = PromptTesting.recorder(dir, log);
    // a long poll interval: only the wake-up and the next-due timer can make these prompt
    ExecutorConfig config = new ExecutorConfig(List.of(recorder.toString()), null, Duration.ofSeconds(30), 1, 1,
        Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(20));
    start(config);
    Thread.sleep(300); // the poller is asleep

    long t0 = System.nanoTime();
    add("now", Priority.NORMAL, Instant.now());
    executor.wake();
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(() -> PromptTesting.recorded(log).contains("now"));
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));

    Instant due = Instant.now().plusSeconds(2);
    add("in two seconds", Priority.NORMAL, due);
    executor.wake();
    await().atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(10))
        .until(() -> PromptTesting.recorded(log).contains("in two seconds"));
    Instant ranAt = Instant.now();
    assertThat(ranAt).isAfterOrEqualTo(due);
    assertThat(Duration.between(due, ranAt)).isLessThan(Duration.ofSeconds(1));
  }

  @Test
  void failuresAreRetriedWithExponentialBackoffThenFailed() throws Exception {
    Path times = dir.resolve("times");
    Path failing = PromptTesting.script(dir, "fail.sh", "date +%s%3N >> '" + times + "'\necho 'boom: token expired' >&2\nexit 3");
    PromptPulse p = add("will fail", Priority.NORMAL, Instant.now());

    start(PromptTesting.config(List.of(failing.toString()), 1, 3, Duration.ofMillis(400), Duration.ofSeconds(30)));

    await().atMost(Duration.ofSeconds(15)).until(() -> status(p.id()) == PulseStatus.FAILED);
    PromptPulse failed = queue.find(p.id()).orElseThrow();
    assertThat(failed.attempts()).isEqualTo(3);
    assertThat(failed.exitCode()).isEqualTo(3);
    assertThat(failed.lastError()).isEqualTo("exited with 3: boom: token expired");
    assertThat(failed.outputTail()).contains("boom: token expired");
    List<Long> at = Files.readAllLines(times).stream().map(Long::parseLong).toList();
    assertThat(at).hasSize(3);
    assertThat(at.get(1) - at.get(0)).isGreaterThanOrEqualTo(400);
    assertThat(at.get(2) - at.get(1)).isGreaterThanOrEqualTo(800); // doubled
    assertThat(outcomes).extracting(PromptExecutor.Outcome::status)
        .containsExactly(PulseStatus.PENDING, PulseStatus.PENDING, PulseStatus.FAILED);
  }

  @Test
  void aRetryThatSucceedsCompletesThePulse() throws Exception {
    Path marker = dir.resolve("failed-once");
    Path flaky = PromptTesting.script(dir, "flaky.sh",
        "if [ ! -e '" + marker + "' ]; then touch '" + marker + "'; exit 1; fi\necho fine");
    PromptPulse p = add("flaky", Priority.NORMAL, Instant.now());
    start(PromptTesting.config(List.of(flaky.toString()), 1, 3, Duration.ofMillis(100), Duration.ofSeconds(30)));

    await().atMost(Duration.ofSeconds(10)).until(() -> status(p.id()) == PulseStatus.COMPLETED);
    PromptPulse done = queue.find(p.id()).orElseThrow();
    assertThat(done.attempts()).isEqualTo(2);
    assertThat(done.outputTail()).isEqualTo("fine");
  }

  @Test
  void aCommandPastItsTimeoutIsStoppedAndCountsAsAFailedAttempt() throws Exception {
    Path slow = PromptTesting.script(dir, "slow.sh", "exec sleep 60");
    PromptPulse p = add("slow", Priority.NORMAL, Instant.now());
    ExecutorConfig config = new ExecutorConfig(List.of(slow.toString()), null, Duration.ofMillis(700), 1, 1,
        Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMillis(200));
    start(config);

    await().atMost(Duration.ofSeconds(15)).until(() -> status(p.id()) == PulseStatus.FAILED);
    assertThat(queue.find(p.id()).orElseThrow().lastError()).startsWith("timed out after 700ms");
  }

  @Test
  void upToMaxConcurrentPulsesRunAtOnce() throws Exception {
    Path sleepy = PromptTesting.script(dir, "sleepy.sh", "sleep 1");
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      ids.add(add("p" + i, Priority.NORMAL, Instant.now()).id());
    }
    start(PromptTesting.config(List.of(sleepy.toString()), 3, 1, Duration.ofSeconds(1), Duration.ofSeconds(30)));
    AtomicInteger most = new AtomicInteger();
    long t0 = System.nanoTime();
    await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20)).until(() -> {
      most.accumulateAndGet(executor.runningCount(), Math::max);
      return queue.countByStatus().get("completed") == 6;
    });
    assertThat(most.get()).isEqualTo(3);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(4500)); // two waves, not six
  }

  @Test
  void eachPulseIsASpanLinkedToTheRequestThatScheduledIt() throws Exception {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build()).build();
    Path recorder = PromptTesting.recorder(dir, log);
    String traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    PromptPulse p = queue.insert(new NewPulse("traced", Instant.now(), Priority.HIGH, "api", List.of(), null, traceparent, null),
        Instant.now());

    start(PromptTesting.config(List.of(recorder.toString()), 1, 1, Duration.ofSeconds(1), Duration.ofSeconds(30)), otel);

    await().atMost(Duration.ofSeconds(10)).until(() -> status(p.id()) == PulseStatus.COMPLETED);
    SpanData span = spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals("pulse.prompt " + p.id()))
        .findFirst().orElseThrow();
    assertThat(span.getLinks()).anySatisfy(l -> {
      assertThat(l.getSpanContext().getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
      assertThat(l.getSpanContext().getSpanId()).isEqualTo("b7ad6b7169203331");
    });
    assertThat(span.getTraceId()).isNotEqualTo("0af7651916cd43dd8448eb211c80319c"); // its own trace, linked
    assertThat(span.getAttributes().asMap().toString()).contains("pulse.prompt.priority=high");
    assertThat(queue.find(p.id()).orElseThrow().traceId()).isEqualTo(span.getTraceId());
    otel.close();
  }

  @Test
  void aLongRunKeepsItsLeaseAndRunsOnce() throws Exception {
    Path slowRecorder = PromptTesting.script(dir, "slow-recorder.sh", "echo \"$1\" >> '" + log + "'\nsleep 2");
    PromptPulse p = add("long", Priority.NORMAL, Instant.now());
    start(PromptTesting.config(List.of(slowRecorder.toString()), 2, 3, Duration.ofMillis(100), Duration.ofMillis(600)));

    await().atMost(Duration.ofSeconds(15)).until(() -> status(p.id()) == PulseStatus.COMPLETED);
    assertThat(Files.readAllLines(log)).containsExactly("long");
    assertThat(queue.find(p.id()).orElseThrow().attempts()).isEqualTo(1);
  }

  @Test
  void aPulseLeftRunningByADeadExecutorIsReclaimedAfterItsLeaseAndItsOrphanStopped() throws Exception {
    Path recorder = PromptTesting.recorder(dir, log);
    PromptPulse p = add("stuck", Priority.NORMAL, Instant.now());
    Instant t = Instant.now();
    queue.claimDue("dead-executor", t, t.plusMillis(800), 1);
    Process orphan = new ProcessBuilder("sleep", "300").start();
    queue.recordChild(p.id(), "dead-executor", orphan.pid(), orphan.toHandle().info().startInstant().orElseThrow().toString());

    start(PromptTesting.config(List.of(recorder.toString()), 1, 3, Duration.ofMillis(100), Duration.ofMillis(800)));

    await().atMost(Duration.ofSeconds(10)).until(() -> status(p.id()) == PulseStatus.COMPLETED);
    assertThat(orphan.isAlive()).isFalse();
    assertThat(PromptTesting.recorded(log)).containsExactly("stuck");
    PromptPulse done = queue.find(p.id()).orElseThrow();
    assertThat(done.attempts()).isEqualTo(2);
    assertThat(Duration.between(t, done.startedAt())).isGreaterThanOrEqualTo(Duration.ofMillis(800));
  }

  @Test
  void shutdownStopsARunningCommandAndGivesItsPulseBack() throws Exception {
    Path slow = PromptTesting.script(dir, "slow.sh", "echo started >> '" + log + "'\nexec sleep 60");
    PromptPulse p = add("interrupted", Priority.NORMAL, Instant.now());
    start(PromptTesting.config(List.of(slow.toString()), 1, 3, Duration.ofMillis(100), Duration.ofSeconds(30)));
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(log));

    long t0 = System.nanoTime();
    executor.close();
    executor = null;

    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    PromptPulse back = queue.find(p.id()).orElseThrow();
    assertThat(back.status()).isEqualTo(PulseStatus.PENDING);
    assertThat(back.attempts()).isZero();
    assertThat(back.lastError()).contains("daemon stopped");
  }
}
