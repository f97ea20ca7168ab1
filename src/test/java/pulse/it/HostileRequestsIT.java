package pulse.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.testing.DaemonProcess;
import pulse.testing.RawClient;

/**
 * Issue 11's hostile requests, byte for byte, sent to the daemon jar: each gets a 4xx that says
 * what is wrong, never a 5xx, never silence, and nothing wrong is stored.
 */
class HostileRequestsIT {
  private static final String TOKEN = "hostile-requests-it-token-0123456789";
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  private static DaemonProcess daemon;

  @BeforeAll
  static void start() throws Exception {
    daemon = new DaemonProcess(dir, Map.of("PULSE_API_TOKEN", TOKEN, "PULSE_PROMPT_COMMAND", "/bin/true",
        "PULSE_API_HEADER_TIMEOUT", "2s", "PULSE_API_BODY_TIMEOUT", "2s")).start();
  }

  @AfterAll
  static void stop() {
    daemon.close();
  }

  private static String raw(String request) throws Exception {
    try (RawClient c = new RawClient(daemon.port())) {
      return c.exchange(request.getBytes(StandardCharsets.ISO_8859_1), 5_000);
    }
  }

  private static String post(String body) {
    return "POST /api/pulse/schedule HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TOKEN
        + "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
  }

  @Test
  void hugeOrBrokenFramingIsAnsweredBeforeTheClose() throws Exception {
    String mb = "a".repeat(1024 * 1024);
    Map<String, Integer> expected = new LinkedHashMap<>();
    expected.put("GET /" + mb + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 414);
    expected.put("GET /api/health?q=" + mb + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 414);
    expected.put("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + mb + "\r\n\r\n", 431);
    expected.put("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + mb + "\r\n\r\n", 431);
    expected.put("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n" + "X-A: b\r\n".repeat(5000) + "\r\n", 431);
    String chunkedHead = "POST /api/pulse/schedule HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TOKEN
        + "\r\nTransfer-Encoding: chunked\r\n\r\n";
    expected.put(chunkedHead + "zz\r\n{}\r\n0\r\n\r\n", 400);
    expected.put(chunkedHead + "ffffffffffffffffff\r\n{}\r\n0\r\n\r\n", 400);
    expected.put(chunkedHead + "-1\r\n{}\r\n0\r\n\r\n", 400);
    expected.put(chunkedHead + "2\r\n{}}}}\r\n0\r\n\r\n", 400);
    expected.put("POST /api/pulse/schedule HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TOKEN
        + "\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n", 400);
    expected.put("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc", 400);
    expected.put("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -1\r\n\r\n", 400);
    expected.put("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 99999999999999999999\r\n\r\n", 400);
    expected.put("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: b\r\n folded\r\n\r\n", 400);
    expected.put("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: b\0c\r\n\r\n", 400);
    expected.put("GET /api/health HTTP/1.1\r\n\r\n", 400);
    expected.put("GET /api/health HTTP/2.0\r\nHost: 127.0.0.1\r\n\r\n", 400);
    expected.put("GET http://evil/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 400);
    expected.put("GET /a b HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 400);
    expected.put("\r\n\r\n", 400);
    expected.put("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000000\r\n\r\n", 413);
    for (Map.Entry<String, Integer> e : expected.entrySet()) {
      String shown = e.getKey().length() > 80 ? e.getKey().substring(0, 80) + "…" : e.getKey();
      String answer = raw(e.getKey());
      assertThat(RawClient.statusOf(answer)).as(shown).isEqualTo(e.getValue());
      assertThat(answer).as(shown).contains("\"error\"").contains("Connection: close");
    }
    assertThat(daemon.get("/api/health").statusCode()).isEqualTo(200);
  }

  @Test
  void aValidChunkedWriteIsStored() throws Exception {
    String body = "{\"prompt\":\"chunked\",\"scheduled_at\":\"in 1h\"}";
    String answer = raw("POST /api/pulse/schedule HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TOKEN
        + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + Integer.toHexString(10) + "\r\n" + body.substring(0, 10)
        + "\r\n" + Integer.toHexString(body.length() - 10) + ";ext=1\r\n" + body.substring(10) + "\r\n0\r\n\r\n");
    assertThat(RawClient.statusOf(answer)).as(answer).isEqualTo(201);
  }

  @Test
  void lenientJsonIsRefusedAndNothingIsStored() throws Exception {
    int before = upcoming();
    String ok = "{\"prompt\":\"x\",\"scheduled_at\":\"in 1h\"}";
    Map<String, String> bodies = new LinkedHashMap<>();
    bodies.put(ok + " garbage", "not valid JSON");
    bodies.put(ok + ok, "more after the JSON value");
    bodies.put("{\"prompt\":\"x\",\"prompt\":\"y\",\"scheduled_at\":\"in 1h\"}", "Duplicate field");
    bodies.put("\uFEFF" + ok, "byte-order mark");
    bodies.put("{\"prompt\":\"\\ud800\",\"scheduled_at\":\"in 1h\"}", "surrogate");
    for (Map.Entry<String, String> e : bodies.entrySet()) {
      HttpResponse<String> r = daemon.post("/api/pulse/schedule", TOKEN, e.getValue().equals("byte-order mark")
          ? new String(e.getKey().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8) : e.getKey());
      assertThat(r.statusCode()).as(e.getKey()).isEqualTo(400);
      assertThat(r.body()).as(e.getKey()).contains(e.getValue());
    }
    byte[] utf16 = ok.getBytes(StandardCharsets.UTF_16);
    String head = "POST /api/pulse/schedule HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TOKEN
        + "\r\nConnection: close\r\nContent-Length: " + utf16.length + "\r\n\r\n";
    try (RawClient c = new RawClient(daemon.port())) {
      byte[] all = new byte[head.length() + utf16.length];
      System.arraycopy(head.getBytes(StandardCharsets.ISO_8859_1), 0, all, 0, head.length());
      System.arraycopy(utf16, 0, all, head.length(), utf16.length);
      String answer = c.exchange(all, 5_000);
      assertThat(RawClient.statusOf(answer)).isEqualTo(400);
      assertThat(answer).contains("UTF-16");
    }
    assertThat(upcoming()).as("nothing was stored").isEqualTo(before);
  }

  @Test
  void extremeTimesAre400NamingTheFieldAndTheRange() throws Exception {
    for (String at : new String[] {"in 109572000000d", "-300000000-01-01T00:00:00Z", "in 9999999999999d", "in 5000000000000w",
        "in 106751991167301d", "9999-01-01T00:00:00Z"}) {
      HttpResponse<String> r = daemon.post("/api/pulse/schedule", TOKEN, "{\"prompt\":\"x\",\"scheduled_at\":\"" + at + "\"}");
      assertThat(r.statusCode()).as(at + ": " + r.body()).isEqualTo(400);
      JsonNode e = JSON.readTree(r.body());
      assertThat(e.path("field").asText()).isEqualTo("scheduled_at");
      assertThat(e.path("error").asText()).containsAnyOf("10 years ahead", "at most 36500d");
    }
    HttpResponse<String> silence = daemon.post("/api/silences", TOKEN,
        "{\"source\":\"all\",\"duration\":\"106751991167301d\",\"reason\":\"overflow\"}");
    assertThat(silence.statusCode()).as(silence.body()).isEqualTo(400);
    assertThat(JSON.readTree(silence.body()).path("field").asText()).isEqualTo("duration");
    HttpResponse<String> ok = daemon.post("/api/pulse/schedule", TOKEN, "{\"prompt\":\"far\",\"scheduled_at\":\"in 3650d\"}");
    assertThat(ok.statusCode()).isEqualTo(201);
    String acknowledged = JSON.readTree(ok.body()).path("scheduled_at").asText();
    String stored = JSON.readTree(daemon.get("/api/pulse/" + JSON.readTree(ok.body()).path("id").asLong()).body())
        .path("scheduled_at").asText();
    assertThat(stored).as("what is stored is what was acknowledged").isEqualTo(acknowledged);
  }

  private static int upcoming() throws Exception {
    JsonNode n = JSON.readTree(daemon.get("/api/pulse/upcoming?limit=1000").body());
    return n.isArray() ? n.size() : n.path("pulses").size();
  }
}
