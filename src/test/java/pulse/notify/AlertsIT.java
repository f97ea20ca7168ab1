package pulse.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.testing.DaemonProcess;
import pulse.testing.TestPluginJar;

/**
 * The built jar as a process, with a fake Telegram Bot API and a ping receiver on loopback: a job
 * that fails twice opens one alert; Telegram being down loses nothing across a daemon restart; the
 * CLI lists alerts and adds silences through the daemon's API; the status page shows the alert.
 */
class AlertsIT {
  private static final String TOKEN = "it-api-token-0123456789";
  private static final String SECRET = "it-secret-value-42";
  @TempDir Path dir;

  private DaemonProcess daemon(Map<String, String> env) throws Exception {
    DaemonProcess d = new DaemonProcess(dir, env);
    TestPluginJar.write(d.pluginsDir());
    return d;
  }

  private static void runAndWait(DaemonProcess d, int runsBefore) throws Exception {
    assertThat(d.post("/api/jobs/it-fail/run", TOKEN, "{}").statusCode()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      JsonNode runs = Messages.JSON.readTree(d.get("/api/runs?job=it-fail&limit=100").body());
      int ended = 0;
      for (JsonNode r : runs) {
        ended += r.path("outcome").asText().equals("running") ? 0 : 1;
      }
      return ended == runsBefore + 1;
    });
  }

  @Test
  void aFailingJobAlertsOnceSurvivesATelegramOutageAcrossARestartAndShowsEverywhere() throws Exception {
    try (FakeTelegram telegram = new FakeTelegram(); Receiver pings = new Receiver()) {
      Map<String, String> env = new HashMap<>();
      env.put("PULSE_API_TOKEN", TOKEN);
      env.putAll(telegram.settings());
      env.put("PULSE_JOB_IT_FAIL_ALERT_FAILURES", "2");
      env.put("PULSE_JOB_IT_FAIL_PING_URL", pings.url("/ping/it-fail-uuid"));
      env.put("IT_SECRET_TOKEN", SECRET);
      telegram.status.set(500);
      int firstPort;

      try (DaemonProcess d = daemon(env).start()) {
        firstPort = d.port();
        runAndWait(d, 0);
        runAndWait(d, 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> !telegram.requests.isEmpty());
        assertThat(telegram.accepted()).isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> pings.requests.size() == 4);
        assertThat(pings.requests).extracting(Receiver.Request::path).containsExactly("/ping/it-fail-uuid/start",
            "/ping/it-fail-uuid/fail", "/ping/it-fail-uuid/start", "/ping/it-fail-uuid/fail");
        assertThat(pings.requests.get(1).body()).contains("using token ****").doesNotContain(SECRET);

        DaemonProcess.Result alerts = d.cli("alerts");
        assertThat(alerts.exitCode()).as(alerts.output()).isZero();
        assertThat(alerts.output()).contains("job:it-fail").contains("open").contains("1 notification(s) waiting");
        assertThat(d.get("/").body()).contains("Open alerts").contains("job it-fail");
        assertThat(d.signal("TERM")).isEqualTo(143);
        assertThat(d.output()).doesNotContain(FakeTelegram.TOKEN);
        assertThat(d.output().lines().filter(l -> l.contains("Notification ") || l.contains("AlertEngine"))).isNotEmpty().noneMatch(l -> l.contains(SECRET));
      }

      telegram.status.set(200);
      int closed;
      try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
        closed = s.getLocalPort();
      }
      env.put("PULSE_CHECK_DOWN_PORT", "tcp://127.0.0.1:" + closed);
      env.put("PULSE_CHECK_DOWN_PORT_FAILURES", "1");
      try (DaemonProcess d = daemon(env).start()) {
        await().atMost(Duration.ofSeconds(20)).until(() -> jobTexts(telegram).size() == 1);
        Thread.sleep(1500); // a second delivery would show up here
        assertThat(jobTexts(telegram)).singleElement().satisfies(t -> assertThat(t)
            .contains("ALERT: job it-fail is failing").contains("2 failures in a row")
            .contains("remote refused token ****").doesNotContain(SECRET)
            .contains("Status: http://127.0.0.1:" + firstPort + "/")); // written when the alert opened

        DaemonProcess.Result silence = d.cli("silence", "it-fail", "--for", "2h", "--reason", "IT maintenance");
        assertThat(silence.exitCode()).as(silence.output()).isZero();
        assertThat(silence.output()).contains("Silenced job:it-fail until");
        DaemonProcess.Result list = d.cli("silence", "--list");
        assertThat(list.output()).contains("job:it-fail").contains("IT maintenance");
        String id = silence.output().replaceAll("(?s).*\\(id (\\d+)\\).*", "$1");
        DaemonProcess.Result removed = d.cli("silence", "--remove", id);
        assertThat(removed.output()).contains("Removed silence " + id);
        assertThat(d.cli("silence", "--list").output()).contains("No silences in force.");
        DaemonProcess.Result bad = d.cli("silence", "job:nope", "--for", "2h", "--reason", "x");
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.output()).contains("source: there is no job 'nope'");
        assertThat(d.output()).doesNotContain(FakeTelegram.TOKEN);

        // A health check reaches the same engine: one failure is enough with _FAILURES=1.
        assertThat(d.post("/api/jobs/health/run", TOKEN, "{}").statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30))
            .until(() -> telegram.texts().stream().anyMatch(t -> t.contains("ALERT: check down_port is failing")));
      }
    }
  }

  private static java.util.List<String> jobTexts(FakeTelegram telegram) {
    return telegram.texts().stream().filter(t -> t.contains("job it-fail")).toList();
  }
}
