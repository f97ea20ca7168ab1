package pulse.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.testing.DaemonProcess;
import pulse.testing.RawClient;

/** DNS rebinding, cross-origin writes, read tokens and weak tokens, against the daemon jar. */
class ExposureIT {
  private static final String TOKEN = "exposure-it-write-token-0123456789";
  private static final String READ_TOKEN = "exposure-it-read-token-0123456789";
  @TempDir Path dir;

  private static String get(DaemonProcess d, String path, String host, String extraHeaders) throws Exception {
    try (RawClient c = new RawClient(d.port())) {
      return c.send("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n" + extraHeaders + "\r\n").readUntilClosed(5_000);
    }
  }

  @Test
  void aReboundHostNameIsRefusedAndCrossOriginWritesToo() throws Exception {
    try (DaemonProcess d = new DaemonProcess(dir, Map.of("PULSE_API_TOKEN", TOKEN, "PULSE_PROMPT_COMMAND", "/bin/true")).start()) {
      assertThat(RawClient.statusOf(get(d, "/api/pulse/recent", "attacker.example:" + d.port(), ""))).isEqualTo(421);
      assertThat(RawClient.statusOf(get(d, "/", "attacker.example", ""))).isEqualTo(421);
      assertThat(RawClient.statusOf(get(d, "/api/pulse/recent", "localhost:" + d.port(), ""))).isEqualTo(200);
      assertThat(RawClient.statusOf(get(d, "/api/pulse/recent", "127.0.0.1:" + d.port(), ""))).isEqualTo(200);

      HttpClient http = HttpClient.newHttpClient();
      HttpRequest.Builder write = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + d.port() + "/api/pulse/schedule"))
          .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + TOKEN)
          .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"x\",\"scheduled_at\":\"in 1h\"}"));
      HttpResponse<String> foreign = http.send(write.copy().header("Origin", "http://attacker.example").build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(foreign.statusCode()).isEqualTo(403);
      assertThat(foreign.body()).contains("cross-origin");
      assertThat(http.send(write.copy().header("Origin", "http://localhost:" + d.port()).build(), HttpResponse.BodyHandlers.ofString())
          .statusCode()).as("the API's own origin").isEqualTo(201);
      assertThat(http.send(write.build(), HttpResponse.BodyHandlers.ofString()).statusCode()).as("no Origin: not a browser").isEqualTo(201);
    }
  }

  @Test
  void allowedHostsReplaceTheDefaults() throws Exception {
    try (DaemonProcess d = new DaemonProcess(dir, Map.of("PULSE_API_ALLOWED_HOSTS", "pulse.internal, 127.0.0.1")).start()) {
      assertThat(RawClient.statusOf(get(d, "/api/jobs", "pulse.internal", ""))).isEqualTo(200);
      assertThat(RawClient.statusOf(get(d, "/api/jobs", "localhost", ""))).isEqualTo(421);
    }
  }

  @Test
  void theReadTokenOrTheWriteTokenProtectsReadsButNotHealth() throws Exception {
    try (DaemonProcess d = new DaemonProcess(dir, Map.of("PULSE_API_TOKEN", TOKEN, "PULSE_API_READ_TOKEN", READ_TOKEN)).start()) {
      for (String path : new String[] {"/api/jobs", "/api/runs", "/metrics", "/"}) {
        assertThat(RawClient.statusOf(get(d, path, "127.0.0.1", ""))).as(path).isEqualTo(401);
        assertThat(RawClient.statusOf(get(d, path, "127.0.0.1", "Authorization: Bearer " + READ_TOKEN + "\r\n"))).as(path).isEqualTo(200);
        assertThat(RawClient.statusOf(get(d, path, "127.0.0.1", "Authorization: Bearer " + TOKEN + "\r\n"))).as(path).isEqualTo(200);
        assertThat(RawClient.statusOf(get(d, path, "127.0.0.1", "Authorization: Bearer wrong-" + READ_TOKEN + "\r\n"))).isEqualTo(401);
      }
      assertThat(RawClient.statusOf(get(d, "/api/health", "127.0.0.1", ""))).isEqualTo(200);
    }
  }

  @Test
  void aShortTokenStopsStartupWithTheCommandThatMakesAGoodOne() throws Exception {
    DaemonProcess d = new DaemonProcess(dir, Map.of("PULSE_API_TOKEN", "x"));
    DaemonProcess.Result r = d.cli("daemon");
    assertThat(r.exitCode()).isEqualTo(78);
    assertThat(r.output()).contains("PULSE_API_TOKEN").contains("shorter than 16").contains("openssl rand -hex 32");
    assertThat(r.output()).doesNotContain("PULSE_API_TOKEN='x'");
  }
}
