package pulse.core;

import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import pulse.testing.StoreBackend;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.api.JobFailedException;
import pulse.api.Trigger;
import pulse.config.MapSettings;
import pulse.config.Redactor;
import pulse.store.Database;
import pulse.store.JdbcRunHistory;
import pulse.store.Outcome;
import pulse.store.RunRecord;
import pulse.telemetry.Telemetry;
import pulse.testing.TestJob;

@ParameterizedClass
@EnumSource(StoreBackend.class)
class JobRunnerTest {
  @Parameter StoreBackend backend;
  @TempDir Path dir;
  private Database db;
  private JdbcRunHistory history;
  private JobRunner runner;

  @BeforeEach
  void open() {
    db = backend.open(dir);
    db.migrate();
    history = new JdbcRunHistory(db);
    runner = new JobRunner(history, Telemetry.disabled(), Clock.systemUTC(), new MapSettings(Map.of(), Map.of()), Instant.now());
  }

  @AfterEach
  void close() {
    runner.close();
    db.close();
    Redactor.install(new Redactor(List.of()));
  }

  private RunRecord runAndWait(TestJob job, Duration timeout) {
    runner.register(job, timeout);
    long id = runner.fire(job.id(), Trigger.MANUAL, Instant.now()).orElseThrow();
    return LocalRun.await(history, id, Duration.ofSeconds(30));
  }

  @Test
  void successIsRecordedWithSummaryAndOutput() {
    RunRecord r = runAndWait(new TestJob("ok", "@daily", ctx -> {
      ctx.output("line one");
      ctx.output("line two");
      ctx.summary("files", 42L);
      ctx.summary("note", "fine");
    }), Duration.ofMinutes(1));
    assertThat(r.outcome()).isEqualTo(Outcome.SUCCESS);
    assertThat(r.trigger()).isEqualTo("manual");
    assertThat(r.outputTail()).isEqualTo("line one\nline two");
    assertThat(r.summary()).containsEntry("files", 42).containsEntry("note", "fine");
    assertThat(r.endedAt()).isAfterOrEqualTo(r.startedAt());
  }

  @Test
  void anExceptionFailsTheRunWithItsMessageRedacted() {
    Redactor.install(new Redactor(List.of("super-secret-token")));
    RunRecord r = runAndWait(new TestJob("boom", "@daily", ctx -> {
      throw new JobFailedException("login with super-secret-token refused; check the token");
    }), Duration.ofMinutes(1));
    assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(r.errorType()).isEqualTo(JobFailedException.class.getName());
    assertThat(r.errorMessage()).isEqualTo("login with **** refused; check the token");
  }

  @Test
  void aMissingClassFailsOnlyItsOwnRun() {
    RunRecord r = runAndWait(new TestJob("linkage", "@daily", ctx -> {
      throw new NoClassDefFoundError("com/example/Gone");
    }), Duration.ofMinutes(1));
    assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(r.errorMessage()).contains("com/example/Gone");
    RunRecord next = runAndWait(new TestJob("after", "@daily", ctx -> {}), Duration.ofMinutes(1));
    assertThat(next.outcome()).isEqualTo(Outcome.SUCCESS);
  }

  @Test
  void partialIsNotAFailure() {
    RunRecord r = runAndWait(new TestJob("part", "@daily", ctx -> ctx.partial("3 files unreadable")), Duration.ofMinutes(1));
    assertThat(r.outcome()).isEqualTo(Outcome.PARTIAL);
    assertThat(r.outcome().isFailure()).isFalse();
    assertThat(r.errorMessage()).isEqualTo("3 files unreadable");
  }

  @Test
  void aFireWhileRunningIsSkippedAndRunsNeverOverlap() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    TestJob job = new TestJob("slow", "@daily", ctx -> release.await(30, TimeUnit.SECONDS));
    runner.register(job, Duration.ofMinutes(1));
    long first = runner.fire("slow", Trigger.SCHEDULE, Instant.now()).orElseThrow();
    await().until(() -> job.runs.size() == 1);
    assertThat(runner.fire("slow", Trigger.SCHEDULE, Instant.now())).isEmpty();
    assertThat(runner.fire("slow", Trigger.MANUAL, Instant.now())).isEmpty();
    release.countDown();
    assertThat(LocalRun.await(history, first, Duration.ofSeconds(10)).outcome()).isEqualTo(Outcome.SUCCESS);
    await().until(() -> !runner.isRunning("slow"));
    Optional<Long> again = runner.fire("slow", Trigger.SCHEDULE, Instant.now());
    assertThat(again).isPresent();
    LocalRun.await(history, again.get(), Duration.ofSeconds(10));
    assertThat(job.peakConcurrency()).isEqualTo(1);
    assertThat(history.recent(pulse.store.RunQuery.latest(10))).hasSize(2);
  }

  @Test
  void aRunPastItsTimeoutIsCancelledAndRecordedAsTimeout() {
    RunRecord r = runAndWait(new TestJob("hang", "@daily", ctx -> Thread.sleep(60_000)), Duration.ofMillis(300));
    assertThat(r.outcome()).isEqualTo(Outcome.TIMEOUT);
    assertThat(r.errorMessage()).startsWith("did not finish within 300ms");
    assertThat(r.duration()).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void shutdownInterruptsRunningJobsAndRecordsThem() {
    TestJob job = new TestJob("long", "@daily", ctx -> {
      while (!ctx.isCancelled()) {
        Thread.onSpinWait();
      }
      ctx.checkCancelled();
    });
    runner.register(job, Duration.ofMinutes(5));
    long id = runner.fire("long", Trigger.SCHEDULE, Instant.now()).orElseThrow();
    await().until(() -> job.runs.size() == 1);
    runner.shutdown(Duration.ofSeconds(5));
    RunRecord r = history.find(id).orElseThrow();
    assertThat(r.outcome()).isEqualTo(Outcome.INTERRUPTED);
    assertThat(runner.fire("long", Trigger.SCHEDULE, Instant.now())).isEmpty();
  }

  @Test
  void lateScheduledFiresRecordTheirLateness() {
    TestJob job = new TestJob("late", "@daily", ctx -> {});
    runner.register(job, Duration.ofMinutes(1));
    // whole microseconds: H2 rounds (half up) to its TIMESTAMP precision, so truncating fails half the time
    Instant due = Instant.now().minusSeconds(3).truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    long id = runner.fire("late", Trigger.SCHEDULE, due).orElseThrow();
    RunRecord r = LocalRun.await(history, id, Duration.ofSeconds(10));
    assertThat(r.scheduledAt()).isEqualTo(due);
    assertThat(r.lateness()).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void aFireAheadOfItsDueTimeIsRecordedAtOnceAndTheJobStartsAtTheDueTime() {
    java.util.concurrent.atomic.AtomicReference<Instant> ranAt = new java.util.concurrent.atomic.AtomicReference<>();
    TestJob job = new TestJob("punctual", "@daily", ctx -> ranAt.set(Instant.now()));
    runner.register(job, Duration.ofMinutes(1));
    Instant due = Instant.now().plusMillis(400).truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    long id = runner.fire("punctual", Trigger.SCHEDULE, due).orElseThrow();
    RunRecord before = history.find(id).orElseThrow();
    assertThat(Instant.now()).as("fire returned before the due time").isBefore(due);
    assertThat(before.outcome()).isEqualTo(Outcome.RUNNING);
    assertThat(job.runs).isEmpty();
    RunRecord r = LocalRun.await(history, id, Duration.ofSeconds(10));
    assertThat(ranAt.get()).isAfterOrEqualTo(due);
    assertThat(r.startedAt()).as("the real start, not the planned one").isAfterOrEqualTo(due);
    assertThat(r.traceId()).isNull(); // telemetry disabled here; JobRunnerTelemetryTest covers the id
    assertThat(r.outcome()).isEqualTo(Outcome.SUCCESS);
  }

  @Test
  void aFireAheadOfTimeWaitsForThePreviousRunToEndBeforeItCountsAsAnOverlap() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    TestJob job = new TestJob("busy", "@daily", ctx -> release.await(30, TimeUnit.SECONDS));
    runner.register(job, Duration.ofMinutes(1));
    long first = runner.fire("busy", Trigger.SCHEDULE, Instant.now()).orElseThrow();
    await().until(() -> job.runs.size() == 1);
    Instant due = Instant.now().plusMillis(600);
    new Thread(() -> {
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      release.countDown(); // the first run ends before the second fire is due
    }).start();
    Optional<Long> second = runner.fire("busy", Trigger.SCHEDULE, due);
    assertThat(second).as("not skipped: the job was free at the due time").isPresent();
    assertThat(LocalRun.await(history, first, Duration.ofSeconds(10)).outcome()).isEqualTo(Outcome.SUCCESS);
    assertThat(LocalRun.await(history, second.get(), Duration.ofSeconds(10)).outcome()).isEqualTo(Outcome.SUCCESS);
    assertThat(job.peakConcurrency()).isEqualTo(1);
  }

  @Test
  void stoppingBeforeAPreparedRunIsDueRecordsItAsInterruptedAndItNeverRuns() {
    TestJob job = new TestJob("tomorrow", "@daily", ctx -> {});
    runner.register(job, Duration.ofMinutes(1));
    long id = runner.fire("tomorrow", Trigger.SCHEDULE, Instant.now().plusSeconds(5)).orElseThrow();
    runner.shutdown(Duration.ofSeconds(1));
    RunRecord r = history.find(id).orElseThrow();
    assertThat(r.outcome()).isEqualTo(Outcome.INTERRUPTED);
    assertThat(r.errorMessage()).contains("before the run was due");
    assertThat(r.duration()).isEqualTo(Duration.ZERO);
    assertThat(job.runs).isEmpty();
  }

  @Test
  void finishedRunsLeaveNoTimeoutBehind() {
    TestJob job = new TestJob("often", "@daily", ctx -> {});
    runner.register(job, Duration.ofHours(1));
    for (int i = 0; i < 20; i++) {
      long id = runner.fire("often", Trigger.MANUAL, Instant.now()).orElseThrow();
      LocalRun.await(history, id, Duration.ofSeconds(10));
      await().until(() -> !runner.isRunning("often"));
    }
    // each pending timeout holds its run's context and span: an hour of them filled the heap
    assertThat(runner.pendingTimeouts()).isZero();
  }

  @Test
  void aManualRunAskedForWhileAScheduledRunIsPreparedGoesFirstAndTheScheduledOneIsSkipped() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    TestJob job = new TestJob("contended", "@daily", ctx -> {
      if (ctx.trigger() == Trigger.MANUAL) {
        release.await(10, TimeUnit.SECONDS);
      }
    });
    runner.register(job, Duration.ofMinutes(1));
    long scheduled = runner.fire("contended", Trigger.SCHEDULE, Instant.now().plusMillis(300)).orElseThrow();
    Optional<Long> manual = runner.fire("contended", Trigger.MANUAL, Instant.now());
    assertThat(manual).as("not refused: the scheduled run has not started").isPresent();
    await().until(() -> job.runs.size() == 1);
    Thread.sleep(600); // the scheduled run falls due while the manual one runs
    release.countDown();
    assertThat(LocalRun.await(history, manual.get(), Duration.ofSeconds(10)).outcome()).isEqualTo(Outcome.SUCCESS);
    await().until(() -> history.find(scheduled).isEmpty()); // skipped as an overlap: not a run
    assertThat(job.runs).singleElement().satisfies(c -> assertThat(c.trigger()).isEqualTo(Trigger.MANUAL));
    assertThat(job.peakConcurrency()).isEqualTo(1);
  }
}
