package pulse.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.testing.DaemonProcess;

/**
 * Prompt pulses end to end: the built jar as a daemon, its real HTTP API and CLI, and a real
 * executor command — a script that appends its argument to a file.
 */
class PromptQueueIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "it-prompt-token-0123456789";
  @TempDir Path dir;

  /**
   * The executor command: records "START <prompt>" (and its pid for prompts containing "slow"),
   * fails prompts containing "fail", and sleeps on the first run of a "slow" prompt.
   */
  private Path recorder() throws Exception {
    Path script = dir.resolve("agent.sh");
    Files.writeString(script, String.join("\n",
        "#!/bin/sh",
        "printf '%s|%s\\n' \"$#\" \"$1\" >> '" + dir.resolve("ran.log") + "'",
        "case \"$1\" in",
        "  *fail*) echo \"cannot do $1\" >&2; exit 4 ;;",
        "  *slow*) if [ ! -e '" + dir.resolve("slow-once") + "' ]; then touch '" + dir.resolve("slow-once") + "';"
            + " echo $$ > '" + dir.resolve("slow.pid") + "'; exec sleep 120; fi ;;",
        "esac",
        "echo \"done: $1\"",
        ""));
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return script;
  }

  private Map<String, String> env(Map<String, String> extra) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("PULSE_API_TOKEN", TOKEN);
    env.put("PULSE_PROMPT_COMMAND", recorder().toString());
    env.put("PULSE_PROMPT_RETRY_BACKOFF", "300ms");
    env.put("PULSE_PROMPT_LEASE", "2s");
    env.putAll(extra);
    return env;
  }

  private List<String> ran() throws Exception {
    Path log = dir.resolve("ran.log");
    if (!Files.exists(log)) {
      return List.of();
    }
    return Files.readAllLines(log).stream().map(l -> {
      assertThat(l).as("the prompt arrives as exactly one argument").startsWith("1|");
      return l.substring(2);
    }).toList();
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }

  private static JsonNode schedule(DaemonProcess d, String body) throws Exception {
    HttpResponse<String> r = d.post("/api/pulse/schedule", TOKEN, body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return json(r);
  }

  private static String status(DaemonProcess d, long id) throws Exception {
    return json(d.get("/api/pulse/" + id)).path("status").asText();
  }

  @Test
  void priorityOrderRelativeTimesCancelRetriesAndValidationThroughTheApi() throws Exception {
    try (DaemonProcess d = new DaemonProcess(dir, env(Map.of("PULSE_PROMPT_MAX_ATTEMPTS", "3"))).start()) {
      // due together in 2 s: they run by priority, not by the order they were posted
      Instant at = Instant.now().plusSeconds(2);
      for (String p : List.of("low", "deferred", "normal", "critical", "high")) {
        schedule(d, "{\"prompt\":\"" + p + " pulse\",\"priority\":\"" + p + "\",\"scheduled_at\":\"" + at + "\"}");
      }
      long later = schedule(d, "{\"prompt\":\"relative pulse\",\"scheduled_at\":\"in 4s\"}").path("id").asLong();
      long cancelled = schedule(d, "{\"prompt\":\"never runs\",\"scheduled_at\":\"+1h\"}").path("id").asLong();
      HttpResponse<String> del = delete(d, "/api/pulse/" + cancelled);
      assertThat(del.statusCode()).isEqualTo(200);
      assertThat(json(del).path("status").asText()).isEqualTo("cancelled");

      await().atMost(Duration.ofSeconds(20)).until(() -> ran().size() >= 6);
      assertThat(ran().subList(0, 5)).containsExactly("critical pulse", "high pulse", "normal pulse", "low pulse", "deferred pulse");
      await().atMost(Duration.ofSeconds(5)).until(() -> status(d, later).equals("completed"));
      JsonNode rel = json(d.get("/api/pulse/" + later));
      assertThat(Instant.parse(rel.path("started_at").asText())).isAfterOrEqualTo(Instant.parse(rel.path("scheduled_at").asText()));
      assertThat(rel.path("output_tail").asText()).isEqualTo("done: relative pulse");
      // without an OpenTelemetry exporter configured there is no trace, so no trace id
      assertThat(rel.path("trace_id").isNull() || rel.path("trace_id").asText().length() == 32).isTrue();

      long failing = schedule(d, "{\"prompt\":\"please fail\"}").path("id").asLong();
      await().atMost(Duration.ofSeconds(15)).until(() -> status(d, failing).equals("failed"));
      JsonNode f = json(d.get("/api/pulse/" + failing));
      assertThat(f.path("attempts").asInt()).isEqualTo(3);
      assertThat(f.path("last_error").asText()).isEqualTo("exited with 4: cannot do please fail");
      assertThat(ran().stream().filter(p -> p.equals("please fail"))).hasSize(3);
      assertThat(ran()).doesNotContain("never runs");

      HttpResponse<String> bad = d.post("/api/pulse/schedule", TOKEN, "{\"prompt\":\"x\",\"priority\":\"urgent\"}");
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(json(bad).path("field").asText()).isEqualTo("priority");
      assertThat(d.post("/api/pulse/trigger", TOKEN, "{\"prompt\":\"\"}").statusCode()).isEqualTo(400);
      assertThat(d.post("/api/pulse/schedule", TOKEN, "{\"prompt\":\"x\",\"scheduled_at\":\"soonish\"}").statusCode()).isEqualTo(400);
      assertThat(d.post("/api/pulse/schedule", TOKEN, "{not json").statusCode()).isEqualTo(400);
      assertThat(oversized(d)).isEqualTo(413);
      assertThat(d.post("/api/pulse/schedule", null, "{\"prompt\":\"x\"}").statusCode()).isEqualTo(401);

      JsonNode st = json(d.get("/api/status"));
      assertThat(st.path("queue").path("cancelled").asLong()).isEqualTo(1);
      assertThat(st.path("queue").path("failed").asLong()).isEqualTo(1);
      assertThat(st.path("executed_last_hour").asLong()).isEqualTo(7);
      assertThat(st.path("failure_rate_24h").asDouble()).isGreaterThan(0);
      assertThat(json(d.get("/api/pulse/upcoming")).size()).isZero();
    }
  }

  @Test
  void theCliSchedulesListsShowsAndCancels() throws Exception {
    try (DaemonProcess d = new DaemonProcess(dir, env(Map.of())).start()) {
      DaemonProcess.Result s = d.cli("prompt", "schedule", "write the weekly report; don't $(panic)", "--at", "in 2h", "--priority", "high");
      assertThat(s.exitCode()).as(s.output()).isZero();
      assertThat(s.output()).contains("Scheduled pulse 1 (high)");

      DaemonProcess.Result list = d.cli("prompt", "list");
      assertThat(list.exitCode()).isZero();
      assertThat(list.output()).contains("ID").contains("pending").contains("write the weekly report");

      DaemonProcess.Result show = d.cli("prompt", "show", "1");
      assertThat(show.output()).contains("priority:").contains("high").contains("don't $(panic)");

      DaemonProcess.Result cancel = d.cli("prompt", "cancel", "1");
      assertThat(cancel.exitCode()).isZero();
      assertThat(cancel.output()).contains("Cancelled pulse 1");
      DaemonProcess.Result again = d.cli("prompt", "cancel", "1");
      assertThat(again.exitCode()).isEqualTo(1);
      assertThat(again.output()).contains("already cancelled");

      DaemonProcess.Result bad = d.cli("prompt", "schedule", "x", "--priority", "urgent");
      assertThat(bad.exitCode()).isEqualTo(1);
      assertThat(bad.output()).contains("unknown priority 'urgent'");
    }
  }

  @Test
  void aPulseRunningDuringKillDashNineIsRecoveredAfterRestartAndItsOrphanStopped() throws Exception {
    Map<String, String> env = env(Map.of("PULSE_PROMPT_MAX_ATTEMPTS", "3"));
    long id;
    try (DaemonProcess d = new DaemonProcess(dir, env).start()) {
      id = schedule(d, "{\"prompt\":\"slow pulse\"}").path("id").asLong();
      await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(dir.resolve("slow.pid")));
      assertThat(status(d, id)).isEqualTo("processing");
      assertThat(d.signal("KILL")).isEqualTo(137);
    }
    long orphan = Long.parseLong(Files.readString(dir.resolve("slow.pid")).trim());
    assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive)).as("the command outlives a kill -9 of the daemon").contains(true);

    try (DaemonProcess d = new DaemonProcess(dir, env).start()) {
      await().atMost(Duration.ofSeconds(20)).until(() -> status(d, id).equals("completed"));
      JsonNode p = json(d.get("/api/pulse/" + id));
      assertThat(p.path("attempts").asInt()).isEqualTo(2);
      assertThat(p.path("output_tail").asText()).isEqualTo("done: slow pulse");
      assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false)).isFalse();
      assertThat(d.output()).contains("outlived the executor");
    }
  }

  /**
   * Ten rounds on one state directory: 4 keep-alive clients POST pulses due now, the daemon is
   * killed with SIGKILL after a random number of acknowledgements, and restarted. Every acknowledged
   * pulse is there after each restart, and in the end each ran; only a pulse whose command was
   * running at a kill may run again.
   */
  @Test
  void noAcknowledgedPulseIsLostOrRunTwiceAcrossTenKillDashNines() throws Exception {
    int rounds = 10;
    Map<String, String> env = env(Map.of("PULSE_MAX_CONCURRENT", "2", "PULSE_PROMPT_MAX_ATTEMPTS", "5"));
    Map<Long, String> acked = new ConcurrentHashMap<>();
    java.util.Random random = new java.util.Random();
    AtomicInteger next = new AtomicInteger();
    for (int round = 0; round < rounds; round++) {
      int killAt = acked.size() + 50 + random.nextInt(250);
      try (DaemonProcess d = new DaemonProcess(dir, env).start()) {
        for (long id : acked.keySet()) {
          assertThat(d.get("/api/pulse/" + id).statusCode()).as("round %d: acknowledged pulse %d", round, id).isEqualTo(200);
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (int w = 0; w < 4; w++) {
          pool.execute(() -> {
            while (true) {
              String prompt = "n-" + next.getAndIncrement();
              try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + d.port() + "/api/pulse/schedule"))
                    .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"" + prompt + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 201) {
                  acked.put(JSON.readTree(r.body()).path("id").asLong(), prompt);
                }
              } catch (Exception e) {
                return; // the daemon died under us: this request was never acknowledged
              }
              if (acked.size() >= killAt) {
                try {
                  new ProcessBuilder("kill", "-9", String.valueOf(d.pid())).start().waitFor();
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              }
            }
          });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(120, TimeUnit.SECONDS)).isTrue();
        assertThat(d.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(d.process().exitValue()).isEqualTo(137);
      }
    }
    int ranBefore = ran().size();

    try (DaemonProcess d = new DaemonProcess(dir, env).start()) {
      await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(500)).until(() -> {
        JsonNode q = json(d.get("/api/status")).path("queue");
        return q.path("pending").asLong() + q.path("processing").asLong() == 0;
      });
      Map<String, Long> runs = ran().stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
      assertThat(runs.keySet()).as("every acknowledged pulse due now ran").containsAll(acked.values());
      List<String> twice = new ArrayList<>();
      runs.forEach((p, n) -> {
        if (n > 1) {
          twice.add(p);
        }
      });
      assertThat(runs.values()).allMatch(n -> n <= 2);
      assertThat(twice).as("only pulses whose command ran at a kill may run again (2 at a time, %d kills)", rounds)
          .hasSizeLessThanOrEqualTo(2 * rounds);
      for (long id : acked.keySet()) {
        assertThat(json(d.get("/api/pulse/" + id)).path("status").asText()).as("pulse %d", id).isEqualTo("completed");
      }
      System.out.printf("PromptQueueIT: %d acknowledged over %d kill -9 rounds, %d had run before the last start; %d ran twice (in flight at a kill)%n",
          acked.size(), rounds, ranBefore, twice.size());
    }
  }

  /**
   * A body over PULSE_API_MAX_BODY, on a connection of its own: the server answers 413 and closes
   * without reading the rest, so the client may see a reset (counted as 413 here) and the
   * connection must not be reused.
   */
  private static int oversized(DaemonProcess d) throws Exception {
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + d.port() + "/api/pulse/schedule"))
          .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"" + "x".repeat(70_000) + "\"}")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode();
    } catch (java.io.IOException e) {
      return 413;
    }
  }

  private static HttpResponse<String> delete(DaemonProcess d, String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + d.port() + path))
        .header("Authorization", "Bearer " + TOKEN).DELETE().build(), HttpResponse.BodyHandlers.ofString());
  }
}
