package pulse.jobs.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.api.ApiRequest;
import pulse.api.CheckEvent;
import pulse.api.Extension;
import pulse.api.Job;
import pulse.api.Route;
import pulse.config.PulseConfig;
import pulse.core.Daemon;
import pulse.core.Discovery;
import pulse.core.JobView;
import pulse.store.Outcome;
import pulse.store.RunQuery;
import pulse.store.RunRecord;
import pulse.telemetry.Telemetry;
import pulse.testing.TestConfigs;
import pulse.testing.TestJob;

/**
 * The health job inside a real daemon (Quartz, H2 run history): the dead man's switch fires when a
 * job stops running, results reach other extensions as check events, and GET /api/checks shows them.
 */
class HealthJobDaemonTest {
  @TempDir Path dir;

  /** Another extension, as the alert engine is: it sees every check event. */
  static final class Recorder implements Extension {
    final List<CheckEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public String name() {
      return "recorder";
    }

    @Override
    public void checkFinished(CheckEvent event) {
      events.add(event);
    }
  }

  private Daemon start(HealthExtension health, Recorder recorder, TestJob backup, Map<String, String> env) {
    List<Job> jobs = List.of(backup, health.jobs().get(0));
    Discovery.Found found = new Discovery.Found(jobs, List.of(health, recorder),
        Map.of("backup", "test", "health", "built-in"), List.of());
    PulseConfig config = TestConfigs.config(dir, found, env);
    return Daemon.start(config, found, Telemetry.disabled(), Clock.systemUTC());
  }

  private static List<CheckEvent> events(Recorder r, String source) {
    return r.events.stream().filter(e -> e.source().equals(source)).toList();
  }

  @Test
  void theDeadMansSwitchFiresWhenAJobStopsRunning() throws Exception {
    Map<String, String> env = new HashMap<>(Map.of(
        "PULSE_JOB_HEALTH_SCHEDULE", "every 1s",
        "PULSE_CHECK_BACKUP_FRESH", "job:backup",
        "PULSE_CHECK_BACKUP_FRESH_MAX_AGE", "4s"));
    TestJob backup = new TestJob("backup", "every 1s", ctx -> {});
    // 1: the backup runs and succeeds; the check is fine
    try (Daemon d = start(new HealthExtension(), new Recorder(), backup, env)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> d.history().lastSuccessByJob().containsKey("backup"));
    }
    // 2: after a restart the backup silently no longer runs (disabled); history comes from H2
    env.put("PULSE_JOB_BACKUP_ENABLED", "false");
    HealthExtension health = new HealthExtension();
    Recorder recorder = new Recorder();
    try (Daemon d = start(health, recorder, backup, env)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> !events(recorder, "check:backup_fresh").isEmpty());
      CheckEvent first = events(recorder, "check:backup_fresh").get(0);
      assertThat(first.ok()).as("%s", first).isTrue();
      await().atMost(Duration.ofSeconds(15)).until(() -> events(recorder, "check:backup_fresh").stream().anyMatch(e -> !e.ok()));
      CheckEvent fired = events(recorder, "check:backup_fresh").stream().filter(e -> !e.ok()).findFirst().orElseThrow();
      assertThat(fired.error()).matches("job backup last succeeded \\d+s ago \\(\\S+\\), longer than"
          + " PULSE_CHECK_BACKUP_FRESH_MAX_AGE=4s");
      assertThat(fired.latency()).isNotNull();
      assertThat(fired.traceId()).isNull(); // telemetry is off here; CheckTelemetryTest covers trace ids

      // the run that saw it failed, and says which check
      await().atMost(Duration.ofSeconds(5)).until(() -> d.history().recent(new RunQuery("health", false, 100)).stream()
          .anyMatch(r -> r.outcome() == Outcome.FAILED));
      RunRecord failed = d.history().recent(new RunQuery("health", false, 100)).stream()
          .filter(r -> r.outcome() == Outcome.FAILED).findFirst().orElseThrow();
      assertThat(failed.errorMessage()).startsWith("1 of 1 check(s) failed: backup_fresh: job backup last succeeded");

      // GET /api/checks shows the current state
      Route list = health.routes().get(0);
      assertThat(list.path()).isEqualTo("/api/checks");
      @SuppressWarnings("unchecked")
      Map<String, Object> body = (Map<String, Object>) list.handler()
          .handle(new ApiRequest("GET", "/api/checks", Map.of(), Map.of(), new byte[0], null)).body();
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> checks = (List<Map<String, Object>>) body.get("checks");
      assertThat(checks).singleElement().satisfies(c -> {
        assertThat(c.get("name")).isEqualTo("backup_fresh");
        assertThat(c.get("source")).isEqualTo("check:backup_fresh");
        assertThat(c.get("state")).isEqualTo("failed");
        assertThat(c.get("target")).isEqualTo("job:backup");
        assertThat((String) c.get("message")).startsWith("job backup last succeeded");
        assertThat(c.get("checked_at")).isNotNull();
      });
      assertThat(health.statusSection().orElseThrow().html()).contains("<td>backup_fresh</td>").contains("failed");
    }
  }

  @Test
  void aJobThatNeverSucceededCountsFromTheDaemonStart() {
    TestJob backup = new TestJob("backup", "@yearly", ctx -> {});
    HealthExtension health = new HealthExtension();
    Recorder recorder = new Recorder();
    Map<String, String> env = Map.of("PULSE_JOB_HEALTH_SCHEDULE", "every 1s", "PULSE_CHECK_FRESH", "job:backup",
        "PULSE_CHECK_FRESH_MAX_AGE", "2s");
    try (Daemon d = start(health, recorder, backup, env)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> events(recorder, "check:fresh").stream().anyMatch(e -> !e.ok()));
      assertThat(events(recorder, "check:fresh").get(0).ok()).isTrue();
      assertThat(events(recorder, "check:fresh").stream().filter(e -> !e.ok()).findFirst().orElseThrow().error())
          .matches("job backup has not succeeded since Pulse started \\ds ago \\(PULSE_CHECK_FRESH_MAX_AGE=2s\\)");
    }
  }

  @Test
  void withoutChecksTheJobIsDisabledAndSaysHowToAddOne() {
    try (Daemon d = start(new HealthExtension(), new Recorder(), new TestJob("backup", "@yearly", ctx -> {}), Map.of())) {
      JobView v = d.job("health").orElseThrow();
      assertThat(v.enabled()).isFalse();
      assertThat(v.disabledReason()).isEqualTo("no checks configured (set PULSE_CHECK_<NAME>=...)");
      assertThat(v.schedule()).isEqualTo("every 5m");
    }
  }
}
