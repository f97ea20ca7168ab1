package pulse.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.testing.DaemonProcess;
import pulse.testing.TestPluginJar;

/** The built jar as a process: kill -9 and restart, SIGTERM, the CLI against the running daemon. */
class DaemonLifecycleIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "it-api-token-0123456789";
  @TempDir Path dir;

  private DaemonProcess daemon(Map<String, String> env) throws Exception {
    DaemonProcess d = new DaemonProcess(dir, env);
    TestPluginJar.write(d.pluginsDir());
    return d;
  }

  private static JsonNode json(String s) throws Exception {
    return JSON.readTree(s);
  }

  private static List<JsonNode> runs(DaemonProcess d, String job) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    json(d.get("/api/runs?limit=1000&job=" + job).body()).forEach(out::add);
    return out;
  }

  @Test
  void killDashNineThenRestartRunsTheMissedFireOnceAndKeepsHistory() throws Exception {
    Map<String, String> env = Map.of("PULSE_JOB_IT_TICK_SCHEDULE", "every 2s");
    List<Long> before = new ArrayList<>();
    try (DaemonProcess d = daemon(env).start()) {
      await().atMost(Duration.ofSeconds(20)).until(() -> runs(d, "it-tick").size() >= 2);
      runs(d, "it-tick").forEach(r -> before.add(r.path("id").asLong()));
      assertThat(d.signal("KILL")).isEqualTo(137);
    }
    Thread.sleep(6_500); // three fires are missed
    try (DaemonProcess d = daemon(env).start()) {
      try {
        await().atMost(Duration.ofSeconds(30))
            .until(() -> runs(d, "it-tick").stream().anyMatch(r -> r.path("trigger").asText().equals("catch-up")));
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        throw new AssertionError("no catch-up run; runs: " + runs(d, "it-tick") + "\ndaemon output:\n" + d.output(), e);
      }
      Thread.sleep(1_000);
      List<JsonNode> after = runs(d, "it-tick");
      assertThat(after.stream().filter(r -> r.path("trigger").asText().equals("catch-up"))).hasSize(1);
      List<Long> ids = after.stream().map(r -> r.path("id").asLong()).toList();
      assertThat(ids).containsAll(before);
      assertThat(after).noneMatch(r -> r.path("outcome").asText().equals("running") && before.contains(r.path("id").asLong()));
    }
  }

  @Test
  void sigtermStopsCleanlyAndRecordsTheRunningJobAsInterrupted() throws Exception {
    Map<String, String> env = Map.of("PULSE_API_TOKEN", TOKEN, "PULSE_SHUTDOWN_GRACE", "2s");
    long runId;
    try (DaemonProcess d = daemon(env).start()) {
      var r = d.post("/api/jobs/it-sleep/run", TOKEN, "{}");
      assertThat(r.statusCode()).isEqualTo(202);
      runId = json(r.body()).path("run_id").asLong();
      await().atMost(Duration.ofSeconds(5)).until(() -> d.output().contains("sleeping until cancelled"));
      long t0 = System.nanoTime();
      assertThat(d.signal("TERM")).isEqualTo(143);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
      assertThat(d.output()).contains("Stopped");
    }
    try (DaemonProcess d = daemon(env).start()) {
      JsonNode run = json(d.get("/api/runs/" + runId).body());
      assertThat(run.path("outcome").asText()).isEqualTo("interrupted");
      assertThat(run.path("ended_at").isNull()).isFalse();
    }
  }

  @Test
  void theCliDrivesTheRunningDaemon() throws Exception {
    Map<String, String> env = Map.of("PULSE_API_TOKEN", TOKEN, "IT_SECRET_TOKEN", "hush-hush-very-secret-42");
    try (DaemonProcess d = daemon(env).start()) {
      DaemonProcess.Result jobs = d.cli("jobs");
      assertThat(jobs.exitCode()).isZero();
      assertThat(jobs.output()).contains("it-tick").contains("it-sleep").contains("it-fail");

      DaemonProcess.Result ok = d.cli("run", "it-tick");
      assertThat(ok.exitCode()).as(ok.output()).isZero();
      assertThat(ok.output()).contains("success").contains("tick manual");

      DaemonProcess.Result fail = d.cli("run", "it-fail");
      assertThat(fail.exitCode()).isEqualTo(1);
      assertThat(fail.output()).contains("failed").contains("remote refused token ****").doesNotContain("hush-hush");

      DaemonProcess.Result runs = d.cli("runs", "--failed");
      assertThat(runs.output()).contains("it-fail").doesNotContain("it-tick");

      assertThat(d.cli("status").exitCode()).isZero();
      assertThat(d.output()).doesNotContain("hush-hush-very-secret-42").doesNotContain(TOKEN);
      assertThat(d.get("/api/runs?limit=10").body()).doesNotContain("hush-hush");
    }
  }

  @Test
  void withoutADaemonStatusSaysSoAndRunWorksInProcess() throws Exception {
    DaemonProcess d = daemon(Map.of());
    DaemonProcess.Result status = d.cli("status");
    assertThat(status.exitCode()).isEqualTo(3);
    assertThat(status.output()).contains("not running");
    DaemonProcess.Result run = d.cli("run", "it-tick");
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output()).contains("in this process").contains("success");
  }

  @Test
  void aBadSettingStopsStartupWithExit78AndOneLine() throws Exception {
    DaemonProcess d = daemon(Map.of("PULSE_API_PROT", "1"));
    DaemonProcess.Result r = d.cli("daemon");
    assertThat(r.exitCode()).isEqualTo(78);
    assertThat(r.output()).contains("PULSE_API_PROT is not a Pulse setting; did you mean PULSE_API_PORT?")
        .doesNotContain("Exception").doesNotContain("\tat ");
  }
}
