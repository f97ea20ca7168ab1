package pulse.jobs.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.opentelemetry.context.Context;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.config.MapSettings;

/** HTTP(S) checks against real servers on loopback: healthy, failing, slow, redirecting, bad TLS. */
class HttpCheckTest {
  @TempDir static Path pkiDir;
  static TestPki pki;
  private final List<HttpServer> servers = new ArrayList<>();

  @BeforeAll
  static void certificates() throws Exception {
    pki = TestPki.create(pkiDir);
  }

  @AfterEach
  void stop() {
    servers.forEach(s -> s.stop(0));
  }

  private String http(HttpHandler h) throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    s.createContext("/", h);
    s.start();
    servers.add(s);
    return "http://127.0.0.1:" + s.getAddress().getPort();
  }

  private String https(Path keyStore) throws Exception {
    HttpsServer s = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    s.setHttpsConfigurator(new HttpsConfigurator(TestPki.serverContext(keyStore)));
    s.createContext("/", answer(200, "ok"));
    s.start();
    servers.add(s);
    return "https://127.0.0.1:" + s.getAddress().getPort();
  }

  static HttpHandler answer(int status, String body) {
    return ex -> reply(ex, status, body);
  }

  static void reply(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
    if (b.length > 0) {
      ex.getResponseBody().write(b);
    }
    ex.close();
  }

  /** Declares one check WEB with these options and runs it once, as the health job would. */
  static CheckResult check(String spec, String... options) throws InterruptedException {
    Map<String, String> env = new HashMap<>();
    env.put("PULSE_CHECK_WEB", spec);
    for (int i = 0; i < options.length; i += 2) {
      env.put("PULSE_CHECK_WEB_" + options[i], options[i + 1]);
    }
    MapSettings settings = new MapSettings(env, Map.of());
    assertThat(CheckSyntax.parse(settings, null).problems()).isEmpty();
    try (HealthRuntime rt = HealthExtension.standalone(settings)) {
      return rt.runAll(Context.root()).get(0);
    }
  }

  @Test
  void aHealthyEndpointPassesWithItsStatusAndLatency() throws Exception {
    String url = http(answer(200, "{\"status\":\"ok\"}"));
    CheckResult r = check(url + "/health", "BODY_CONTAINS", "\"ok\"", "MAX_LATENCY", "2s");
    assertThat(r.state()).isEqualTo("ok");
    assertThat(r.message()).matches("200 in \\d+ ms");
    assertThat(r.latency()).isPositive();
  }

  @Test
  void aFailingStatusFailsAndSaysWhatWasExpected() throws Exception {
    String url = http(answer(503, "down for maintenance"));
    CheckResult r = check(url);
    assertThat(r.state()).isEqualTo("failed");
    assertThat(r.message()).isEqualTo("answered 503 (expected 200-299)");
    assertThat(check(url, "EXPECT_STATUS", "503").state()).isEqualTo("ok");
  }

  @Test
  void aBodyWithoutTheTextFails() throws Exception {
    String url = http(answer(200, "{\"status\":\"degraded\"}"));
    CheckResult r = check(url, "BODY_CONTAINS", "\"ok\"");
    assertThat(r.state()).isEqualTo("failed");
    assertThat(r.message()).isEqualTo("answered 200 but the body does not contain '\"ok\"'");
  }

  @Test
  void aSlowEndpointFailsTheLatencyLimitOrTheTimeout() throws Exception {
    String url = http(ex -> {
      try {
        Thread.sleep(1_500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      reply(ex, 200, "ok");
    });
    CheckResult slow = check(url, "MAX_LATENCY", "300ms");
    assertThat(slow.state()).isEqualTo("failed");
    assertThat(slow.message()).matches("answered 200 in \\d+ ms, slower than PULSE_CHECK_WEB_MAX_LATENCY=300ms");
    long t0 = System.nanoTime();
    CheckResult timeout = check(url, "TIMEOUT", "500ms");
    assertThat(timeout.state()).isEqualTo("failed");
    assertThat(timeout.message()).isEqualTo("no answer within 500ms");
    assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(1_400);
  }

  @Test
  void aRedirectIsJudgedUnlessFollowed() throws Exception {
    String target = http(answer(200, "landed"));
    String url = http(ex -> {
      ex.getResponseHeaders().add("Location", target + "/login");
      reply(ex, 302, "");
    });
    CheckResult refused = check(url);
    assertThat(refused.state()).isEqualTo("failed");
    assertThat(refused.message()).isEqualTo("answered 302 to " + target + "/login; set PULSE_CHECK_WEB_FOLLOW_REDIRECTS=true"
        + " to follow it, or PULSE_CHECK_WEB_EXPECT_STATUS=302 to accept it (expected 200-299)");
    CheckResult followed = check(url, "FOLLOW_REDIRECTS", "true", "BODY_CONTAINS", "landed");
    assertThat(followed.state()).isEqualTo("ok");
  }

  @Test
  void aClosedPortFailsAsRefused() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    CheckResult r = check("http://127.0.0.1:" + port + "/");
    assertThat(r.state()).isEqualTo("failed");
    assertThat(r.message()).isEqualTo("127.0.0.1:" + port + " refused the connection (nothing listens there?)");
  }

  @Test
  void anUnknownHostIsNamed() throws Exception {
    CheckResult r = check("https://no-such-host.invalid/health");
    assertThat(r.state()).isEqualTo("failed");
    assertThat(r.message()).isEqualTo("cannot resolve the host no-such-host.invalid (a typo, or DNS is down)");
  }

  @Test
  void anUntrustedCertificateFailsTheHandshakeWithTheFix() throws Exception {
    String url = https(pki.selfSigned("self"));
    CheckResult r = check(url);
    assertThat(r.state()).isEqualTo("failed");
    assertThat(r.message()).startsWith("TLS handshake with 127.0.0.1:")
        .endsWith("failed: the certificate is not trusted (unknown or self-signed CA); fix the certificate, or trust its"
            + " CA with PULSE_CHECK_WEB_CA_FILE=<PEM file>");
  }

  @Test
  void aCertificateFromTheTrustedCaPassesAndShowsItsValidity() throws Exception {
    String url = https(pki.leaf("long", 60));
    CheckResult r = check(url, "CA_FILE", pki.caPem.toString());
    assertThat(r.state()).isEqualTo("ok");
    assertThat(r.message()).matches("200 in \\d+ ms, certificate valid for 5[89] more days");
  }

  @Test
  void aCertificateExpiringWithinTheWarningWindowFails() throws Exception {
    String url = https(pki.leaf("short", 5));
    CheckResult r = check(url, "CA_FILE", pki.caPem.toString());
    assertThat(r.state()).isEqualTo("failed");
    assertThat(r.message()).matches("TLS certificate of 127\\.0\\.0\\.1 expires in [45] day\\(s\\), on \\S+ \\(warning from 14 days"
        + " before, PULSE_CHECK_WEB_TLS_WARN_DAYS\\); renew it");
    assertThat(check(url, "CA_FILE", pki.caPem.toString(), "TLS_WARN_DAYS", "3").state()).isEqualTo("ok");
  }
}
