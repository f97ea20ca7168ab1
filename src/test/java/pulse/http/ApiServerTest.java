package pulse.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.api.ApiException;
import pulse.api.ApiResponse;
import pulse.api.Extension;
import pulse.api.Route;
import pulse.api.StatusSection;
import pulse.config.PulseConfig;
import pulse.core.Daemon;
import pulse.core.Discovery;
import pulse.telemetry.Telemetry;
import pulse.testing.TestConfigs;
import pulse.testing.TestJob;

/** The API on a real loopback port, driven with java.net.http as any client would. */
class ApiServerTest {
  static final String TOKEN = "t0ken-for-api-tests";
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();
  private Daemon daemon;
  private ApiServer server;
  private String base;

  /** A family with routes, to prove extensions plug in without the core knowing them. */
  static final class EchoExtension implements Extension {
    @Override
    public String name() {
      return "echo";
    }

    @Override
    public List<Route> routes() {
      return List.of(
          Route.get("/api/echo/special", r -> ApiResponse.ok(Map.of("which", "literal"))),
          Route.get("/api/echo/{id}", r -> ApiResponse.ok(Map.of("which", "param", "id", r.pathParam("id")))),
          Route.post("/api/echo", r -> {
            JsonNode body = JSON.readTree(r.body());
            if (!body.hasNonNull("text")) {
              throw ApiException.badRequest("text", "text is required");
            }
            return ApiResponse.created(Map.of("text", body.get("text").asText(), "traceparent", String.valueOf(r.traceparent())));
          }),
          Route.get("/api/echo-broken", r -> {
            throw new IllegalStateException("kaboom at pulse.internal.Secret line 42");
          }));
    }

    @Override
    public Optional<StatusSection> statusSection() {
      return Optional.of(new StatusSection() {
        @Override
        public String title() {
          return "Open alerts";
        }

        @Override
        public String html() {
          return "<p id=\"alerts\">none</p>";
        }

        @Override
        public boolean top() {
          return true;
        }
      });
    }
  }

  private void start(Map<String, String> env) {
    TestJob ok = new TestJob("ok-job", "@daily", ctx -> ctx.output("hello"));
    TestJob boom = new TestJob("boom", "@daily", ctx -> {
      throw new IllegalStateException("disk <full> & sad");
    });
    TestJob off = new TestJob("off-job", "@daily", ctx -> {});
    Discovery.Found jobs = TestConfigs.found(ok, boom, off);
    Discovery.Found found = new Discovery.Found(jobs.jobs(), List.of(new EchoExtension()), jobs.sources(), List.of());
    Map<String, String> all = new HashMap<>(env);
    all.put("PULSE_JOB_OFF_JOB_ENABLED", "false");
    all.put("PULSE_API_MAX_BODY", "2048");
    PulseConfig config = TestConfigs.config(dir, found, all);
    // a real SDK (exporting nothing), so runs get trace ids to link
    Telemetry telemetry = Telemetry.of(io.opentelemetry.sdk.OpenTelemetrySdk.builder()
        .setTracerProvider(io.opentelemetry.sdk.trace.SdkTracerProvider.builder().build()).build());
    daemon = Daemon.start(config, found, telemetry, Clock.systemUTC());
    server = ApiServer.start(daemon, telemetry, "9.9.9-test");
    base = "http://" + server.address();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (daemon != null) {
      daemon.close();
    }
  }

  private HttpResponse<String> send(String method, String path, String body, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode json(HttpResponse<String> r) throws Exception {
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    return JSON.readTree(r.body());
  }

  @Test
  void healthIsOpenAndReportsTheScheduler() throws Exception {
    start(Map.of("PULSE_API_TOKEN", TOKEN));
    HttpResponse<String> r = send("GET", "/api/health", null, null);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode h = json(r);
    assertThat(h.path("status").asText()).isEqualTo("ok");
    assertThat(h.path("version").asText()).isEqualTo("9.9.9-test");
    assertThat(h.path("jobs").path("enabled").asInt()).isEqualTo(2);
    assertThat(h.path("jobs").path("disabled").asInt()).isEqualTo(1);
    assertThat(h.has("uptime_seconds")).isTrue();
  }

  @Test
  void jobsAreListedInSnakeCaseWithWhyDisabled() throws Exception {
    start(Map.of());
    JsonNode jobs = json(send("GET", "/api/jobs", null, null));
    assertThat(jobs).hasSize(3);
    JsonNode off = JSON.readTree(send("GET", "/api/jobs/off-job", null, null).body());
    assertThat(off.path("enabled").asBoolean()).isFalse();
    assertThat(off.path("disabled_reason").asText()).contains("PULSE_JOB_OFF_JOB_ENABLED");
    JsonNode ok = JSON.readTree(send("GET", "/api/jobs/ok-job", null, null).body());
    assertThat(ok.path("next_fire").asText()).isNotEmpty();
    HttpResponse<String> missing = send("GET", "/api/jobs/nope", null, null);
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(json(missing).path("error").asText()).contains("nope");
  }

  @Test
  void writesAreOffWithoutAToken() throws Exception {
    start(Map.of());
    HttpResponse<String> r = send("POST", "/api/jobs/ok-job/run", "{}", "anything");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(json(r).path("error").asText()).contains("PULSE_API_TOKEN");
    assertThat(daemon.history().recent(pulse.store.RunQuery.latest(10))).isEmpty();
  }

  @Test
  void writesNeedTheRightBearerToken() throws Exception {
    start(Map.of("PULSE_API_TOKEN", TOKEN));
    HttpResponse<String> none = send("POST", "/api/jobs/ok-job/run", "{}", null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    assertThat(send("POST", "/api/jobs/ok-job/run", "{}", TOKEN + "x").statusCode()).isEqualTo(401);
    assertThat(send("POST", "/api/jobs/ok-job/run", "{}", TOKEN.substring(1)).statusCode()).isEqualTo(401);
    assertThat(daemon.history().recent(pulse.store.RunQuery.latest(10))).isEmpty();

    HttpResponse<String> ok = send("POST", "/api/jobs/ok-job/run", "{}", TOKEN);
    assertThat(ok.statusCode()).isEqualTo(202);
    long runId = json(ok).path("run_id").asLong();
    await().atMost(Duration.ofSeconds(10)).until(() ->
        !JSON.readTree(send("GET", "/api/runs/" + runId, null, null).body()).path("outcome").asText().equals("running"));
    JsonNode run = JSON.readTree(send("GET", "/api/runs/" + runId, null, null).body());
    assertThat(run.path("outcome").asText()).isEqualTo("success");
    assertThat(run.path("trigger").asText()).isEqualTo("manual");
    assertThat(run.path("job_id").asText()).isEqualTo("ok-job");
    assertThat(run.path("output_tail").asText()).contains("hello");
    assertThat(run.has("duration_ms")).isTrue();
  }

  @Test
  void runErrorsAreJsonWithTheRightStatus() throws Exception {
    start(Map.of("PULSE_API_TOKEN", TOKEN));
    HttpResponse<String> unknown = send("POST", "/api/jobs/nope/run", "{}", TOKEN);
    assertThat(unknown.statusCode()).isEqualTo(404);
    HttpResponse<String> disabled = send("POST", "/api/jobs/off-job/run", "{}", TOKEN);
    assertThat(disabled.statusCode()).isEqualTo(409);
    assertThat(json(disabled).path("error").asText()).contains("disabled");
  }

  @Test
  void badQueriesGet400NamingTheField() throws Exception {
    start(Map.of());
    HttpResponse<String> r = send("GET", "/api/runs?limit=lots", null, null);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json(r).path("field").asText()).isEqualTo("limit");
    assertThat(json(send("GET", "/api/runs?limit=0", null, null)).path("field").asText()).isEqualTo("limit");
    assertThat(json(send("GET", "/api/runs?failed=maybe", null, null)).path("field").asText()).isEqualTo("failed");
    assertThat(json(send("GET", "/api/runs?job=ghost", null, null)).path("field").asText()).isEqualTo("job");
    assertThat(send("GET", "/api/runs/abc", null, null).statusCode()).isEqualTo(400);
    assertThat(send("GET", "/api/runs/999999", null, null).statusCode()).isEqualTo(404);
  }

  @Test
  void unknownPathsAndMethodsAreJson404And405() throws Exception {
    start(Map.of("PULSE_API_TOKEN", TOKEN));
    HttpResponse<String> missing = send("GET", "/api/nothing-here", null, null);
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(json(missing).path("error").asText()).isNotEmpty();
    HttpResponse<String> wrong = send("DELETE", "/api/jobs", null, TOKEN);
    assertThat(wrong.statusCode()).isEqualTo(405);
    assertThat(wrong.headers().firstValue("Allow")).hasValue("GET");
    assertThat(send("POST", "/metrics", "", null).statusCode()).isEqualTo(405);
    assertThat(send("GET", "/favicon.ico", null, null).statusCode()).isEqualTo(404);
  }

  @Test
  void oversizedBodiesAreRefusedBeforeTheHandler() throws Exception {
    start(Map.of("PULSE_API_TOKEN", TOKEN));
    HttpResponse<String> r = send("POST", "/api/echo", "{\"text\":\"" + "x".repeat(5000) + "\"}", TOKEN);
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(json(r).path("error").asText()).contains("PULSE_API_MAX_BODY");
  }

  @Test
  void aRefusedBodyLeavesTheKeepAliveConnectionUsable() throws Exception {
    start(Map.of("PULSE_API_TOKEN", TOKEN));
    String[] hostPort = server.address().split(":");
    try (java.net.Socket socket = new java.net.Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
      socket.setSoTimeout(10_000);
      var out = socket.getOutputStream();
      var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
      String big = "{\"text\":\"" + "x".repeat(300_000) + "\"}"; // past the JDK server's own 64 KB drain
      out.write(("POST /api/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TOKEN + "\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + big.length() + "\r\n\r\n" + big).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      out.flush();
      assertThat(in.readLine()).isEqualTo("HTTP/1.1 413 Request Entity Too Large");
      int length = skipHeaders(in);
      in.skip(length);
      out.write("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      out.flush();
      assertThat(in.readLine()).as("the same connection answers the next request").isEqualTo("HTTP/1.1 200 OK");
    }
  }

  private static int skipHeaders(java.io.BufferedReader in) throws java.io.IOException {
    int length = 0;
    for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    return length;
  }

  @Test
  void extensionRoutesGetParamsAuthAndJsonErrors() throws Exception {
    start(Map.of("PULSE_API_TOKEN", TOKEN));
    assertThat(json(send("GET", "/api/echo/special", null, null)).path("which").asText()).isEqualTo("literal");
    JsonNode p = json(send("GET", "/api/echo/a%20b", null, null));
    assertThat(p.path("which").asText()).isEqualTo("param");
    assertThat(p.path("id").asText()).isEqualTo("a b");

    HttpResponse<String> created = send("POST", "/api/echo", "{\"text\":\"hi\"}", TOKEN);
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(json(created).path("text").asText()).isEqualTo("hi");

    HttpResponse<String> missing = send("POST", "/api/echo", "{}", TOKEN);
    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(json(missing).path("field").asText()).isEqualTo("text");

    HttpResponse<String> badJson = send("POST", "/api/echo", "{\"text\": ", TOKEN);
    assertThat(badJson.statusCode()).isEqualTo(400);
    assertThat(json(badJson).path("error").asText()).contains("not valid JSON");

    HttpResponse<String> broken = send("GET", "/api/echo-broken", null, null);
    assertThat(broken.statusCode()).isEqualTo(500);
    assertThat(broken.body()).doesNotContain("kaboom").doesNotContain("Exception").doesNotContain("at pulse");
  }

  @Test
  void metricsAndStatusPageAreServed() throws Exception {
    start(Map.of("PULSE_API_TOKEN", TOKEN, "PULSE_TRACE_URL", "https://traces.example/t/{trace_id}"));
    long runId = daemon.runNow("boom");
    await().atMost(Duration.ofSeconds(10)).until(() -> daemon.history().find(runId).orElseThrow().endedAt() != null);
    HttpResponse<String> metrics = send("GET", "/metrics", null, null);
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));

    JsonNode run = json(send("GET", "/api/runs/" + runId, null, null));
    assertThat(run.path("outcome").asText()).isEqualTo("failed");
    assertThat(run.path("trace_url").asText()).startsWith("https://traces.example/t/");

    HttpResponse<String> page = send("GET", "/", null, null);
    assertThat(page.statusCode()).isEqualTo(200);
    String html = page.body();
    assertThat(html).contains("ok-job").contains("off-job").contains("data-run=\"" + runId + "\" class=\"failed\"");
    assertThat(html).contains("disk &lt;full&gt; &amp; sad").doesNotContain("disk <full>");
    assertThat(html.indexOf("id=\"alerts\"")).isLessThan(html.indexOf("id=\"jobs\""));
    assertThat(run.path("trace_id").asText()).hasSize(32);
    assertThat(html).contains("href=\"https://traces.example/t/" + run.path("trace_id").asText() + "\"");
  }
}
