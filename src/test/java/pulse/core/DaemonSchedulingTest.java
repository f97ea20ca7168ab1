package pulse.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.testing.NewRunHelper;
import pulse.api.Setting;
import pulse.config.PulseConfig;
import pulse.store.Outcome;
import pulse.store.RunQuery;
import pulse.store.RunRecord;
import pulse.telemetry.Telemetry;
import pulse.testing.TestConfigs;
import pulse.testing.TestJob;

/**
 * The scheduler's three rules, against the real Quartz JDBC store on H2 and real time: fires
 * missed while the daemon was down run once if inside the grace; later than the grace they are
 * skipped; a job never overlaps itself.
 */
class DaemonSchedulingTest {
  @TempDir Path dir;

  private Daemon start(TestJob job, Map<String, String> env) {
    Discovery.Found found = TestConfigs.found(job);
    PulseConfig config = TestConfigs.config(dir, found, env);
    return Daemon.start(config, found, Telemetry.disabled(), Clock.systemUTC());
  }

  private static List<RunRecord> runs(Daemon d, String job) {
    return d.history().recent(new RunQuery(job, false, 1000));
  }

  @Test
  void missedFiresWhileDownRunOnceOnRestart() throws Exception {
    TestJob job = new TestJob("tick", "every 2s", ctx -> {});
    try (Daemon d = start(job, Map.of())) {
      await().atMost(Duration.ofSeconds(10)).until(() -> runs(d, "tick").size() >= 1);
    }
    int before = job.runs.size();
    Thread.sleep(7_000); // three or four fires are missed
    Instant restart = Instant.now();
    try (Daemon d = start(job, Map.of())) {
      await().atMost(Duration.ofSeconds(5)).until(() -> runs(d, "tick").stream().anyMatch(r -> r.trigger().equals("catch-up")));
      Thread.sleep(500);
      List<RunRecord> catchUps = runs(d, "tick").stream().filter(r -> r.trigger().equals("catch-up")).toList();
      assertThat(catchUps).hasSize(1);
      RunRecord c = catchUps.get(0);
      // the newest missed fire, or one that fell due during start-up and replaced it
      assertThat(c.scheduledAt()).isAfter(restart.minusSeconds(3)).isBeforeOrEqualTo(c.startedAt());
      assertThat(c.startedAt()).isBefore(restart.plusSeconds(5));
      assertThat(job.runs.size() - before).isLessThanOrEqualTo(2); // the catch-up, perhaps one regular fire
    }
  }

  @Test
  void firesMissedBeyondTheGraceAreSkippedToTheNextFire() throws Exception {
    TestJob job = new TestJob("tock", "every 3s", ctx -> {});
    Map<String, String> env = Map.of("PULSE_MISFIRE_GRACE", "1s");
    try (Daemon d = start(job, env)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> runs(d, "tock").size() >= 1);
    }
    // Stop long enough that the newest missed fire is more than 1s late at restart.
    Instant stopped = Instant.now();
    long ms = stopped.toEpochMilli();
    long nextFire = (ms / 3000 + 1) * 3000;
    Thread.sleep(nextFire - ms + 1_600);
    Instant restart = Instant.now();
    try (Daemon d = start(job, env)) {
      Thread.sleep(200);
      assertThat(runs(d, "tock")).noneMatch(r -> r.trigger().equals("catch-up"));
      await().atMost(Duration.ofSeconds(5)).until(() -> runs(d, "tock").stream().anyMatch(r -> r.startedAt().isAfter(restart)));
      RunRecord first = runs(d, "tock").stream().filter(r -> r.startedAt().isAfter(restart)).reduce((a, b) -> b).orElseThrow();
      assertThat(first.trigger()).isEqualTo("schedule");
      assertThat(first.scheduledAt()).isAfter(restart);
    }
  }

  @Test
  void scheduledRunsStartAtTheirDueTimeNeverBeforeIt() {
    // Fires are handed over ahead of time (FireAheadJobStore); the job itself must not start early.
    List<Duration> early = new java.util.concurrent.CopyOnWriteArrayList<>();
    TestJob job = new TestJob("punctual", "every 1s", ctx -> early.add(Duration.between(ctx.clock().instant(), ctx.scheduledTime())));
    try (Daemon d = start(job, Map.of())) {
      await().atMost(Duration.ofSeconds(10))
          .until(() -> runs(d, "punctual").stream().filter(r -> r.outcome() == Outcome.SUCCESS).count() >= 3);
      assertThat(early).isNotEmpty().allSatisfy(e -> assertThat(e).isLessThanOrEqualTo(Duration.ZERO));
      assertThat(runs(d, "punctual")).filteredOn(r -> r.outcome() == Outcome.SUCCESS).isNotEmpty()
          .allSatisfy(r -> assertThat(r.startedAt()).isAfterOrEqualTo(r.scheduledAt()));
    }
  }

  @Test
  void aFireThatArrivesWhileTheJobRunsIsSkipped() {
    TestJob job = new TestJob("overlap", "every 1s", ctx -> Thread.sleep(2_500));
    try (Daemon d = start(job, Map.of())) {
      await().atMost(Duration.ofSeconds(15)).until(() -> runs(d, "overlap").stream().filter(r -> r.outcome() == Outcome.SUCCESS).count() >= 2);
      assertThat(job.peakConcurrency()).isEqualTo(1);
      List<RunRecord> all = runs(d, "overlap");
      // one run per ~3 s, not one per second queued behind each other
      assertThat(all.size()).isLessThanOrEqualTo(4);
    }
  }

  @Test
  void runsLeftRunningByADeadDaemonAreMarkedInterrupted() {
    TestJob job = new TestJob("crashy", "@daily", ctx -> {});
    long id;
    try (Daemon d = start(job, Map.of())) {
      id = d.history().begin(NewRunHelper.running("crashy"));
    }
    // the daemon above closed cleanly, but a row still 'running' is what a kill -9 leaves
    try (Daemon d = start(job, Map.of())) {
      RunRecord r = d.history().find(id).orElseThrow();
      assertThat(r.outcome()).isEqualTo(Outcome.INTERRUPTED);
      assertThat(r.errorMessage()).contains("kill -9");
    }
  }

  @Test
  void disabledJobsSayWhyAndAreNotScheduled() {
    TestJob needs = new TestJob("needs-key", "every 1s", ctx -> {}) {
      @Override
      public List<Setting> settings() {
        return List.of(Setting.string("DEMO_ENDPOINT", null, "where to go").asRequired());
      }
    };
    try (Daemon d = start(needs, Map.of())) {
      JobView v = d.job("needs-key").orElseThrow();
      assertThat(v.enabled()).isFalse();
      assertThat(v.disabledReason()).isEqualTo("needs DEMO_ENDPOINT");
      assertThat(v.nextFire()).isNull();
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> d.runNow("needs-key"))
          .isInstanceOf(JobNotRunnableException.class).hasMessageContaining("needs DEMO_ENDPOINT");
    }
    TestJob off = new TestJob("off", "every 1s", ctx -> {});
    try (Daemon d = start(off, Map.of("PULSE_JOB_OFF_ENABLED", "false"))) {
      assertThat(d.job("off").orElseThrow().disabledReason()).isEqualTo("disabled by PULSE_JOB_OFF_ENABLED=false");
    }
  }

  @Test
  void aScheduleOverrideReplacesTheDefault() {
    TestJob job = new TestJob("override", "@yearly", ctx -> {});
    try (Daemon d = start(job, Map.of("PULSE_JOB_OVERRIDE_SCHEDULE", "every 1s"))) {
      JobView v = d.job("override").orElseThrow();
      assertThat(v.schedule()).isEqualTo("every 1s");
      assertThat(v.nextFire()).isBefore(Instant.now().plusSeconds(2));
      await().atMost(Duration.ofSeconds(5)).until(() -> !runs(d, "override").isEmpty());
    }
  }
}
