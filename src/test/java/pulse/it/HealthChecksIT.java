package pulse.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.testing.DaemonProcess;

/** The built jar: {@code pulse check} and {@code pulse checks} / {@code GET /api/checks} show every check's state. */
class HealthChecksIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  private HttpServer web;
  private int closedPort;

  @BeforeEach
  void servers() throws Exception {
    web = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    web.createContext("/health", ex -> {
      byte[] b = "ok".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, b.length);
      ex.getResponseBody().write(b);
      ex.close();
    });
    web.start();
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
  }

  @AfterEach
  void stop() {
    web.stop(0);
  }

  private Map<String, String> checks() {
    return Map.of(
        "PULSE_CHECK_WEB", "http://127.0.0.1:" + web.getAddress().getPort() + "/health",
        "PULSE_CHECK_WEB_BODY_CONTAINS", "ok",
        "PULSE_CHECK_DOWN", "tcp://127.0.0.1:" + closedPort,
        "PULSE_CHECK_TMP", "disk:" + dir,
        "PULSE_CHECK_TMP_MIN_FREE_PERCENT", "0");
  }

  @Test
  void pulseCheckRunsEveryCheckOnceAndListsItsState() throws Exception {
    DaemonProcess p = new DaemonProcess(dir, checks());
    DaemonProcess.Result r = p.cli("check");
    assertThat(r.output())
        .containsPattern("ok    job health: check web \\(http://127\\.0\\.0\\.1:\\d+/health\\): 200 in \\d+ ms")
        .contains("FAIL  job health: check down (tcp://127.0.0.1:" + closedPort + "): 127.0.0.1:" + closedPort
            + " refused the connection (nothing listens there?)")
        .contains("ok    job health: check tmp (disk:" + dir + "): " + dir + " has ")
        .contains("1 problem(s) found");
    assertThat(r.exitCode()).isEqualTo(1);
  }

  @Test
  void aBadCheckStopsStartupWithOneLinePerEntry() throws Exception {
    DaemonProcess p = new DaemonProcess(dir, Map.of("PULSE_CHECK_WEB", "htp://x", "PULSE_CHECK_DB_TIMEOUT", "3s"));
    DaemonProcess.Result r = p.cli("check");
    assertThat(r.exitCode()).isEqualTo(78);
    assertThat(r.output()).contains("PULSE_CHECK_WEB='htp://x': not a check spec; start it with one of http://")
        .contains("PULSE_CHECK_DB_TIMEOUT: sets TIMEOUT of check DB, but PULSE_CHECK_DB is not set");
  }

  @Test
  void theDaemonServesTheLatestStateOfEveryCheck() throws Exception {
    Map<String, String> env = new java.util.HashMap<>(checks());
    env.put("PULSE_JOB_HEALTH_SCHEDULE", "every 2s");
    try (DaemonProcess d = new DaemonProcess(dir, env).start()) {
      await().atMost(Duration.ofSeconds(20)).until(() -> {
        JsonNode c = JSON.readTree(d.get("/api/checks").body()).path("checks");
        return c.size() == 3 && !c.get(0).path("state").asText().equals("pending");
      });
      JsonNode checks = JSON.readTree(d.get("/api/checks").body()).path("checks");
      assertThat(checks.findValuesAsText("name")).containsExactly("down", "tmp", "web");
      assertThat(checks.findValuesAsText("state")).containsExactly("failed", "ok", "ok");
      DaemonProcess.Result r = d.cli("checks");
      assertThat(r.exitCode()).as(r.output()).isEqualTo(1);
      assertThat(r.output()).contains("FAILED   down").containsPattern("ok\\s+web\\s+\\S+\\s+\\d+ ms\\s+200 in");
    }
  }
}
