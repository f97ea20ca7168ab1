package pulse.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.testing.DaemonProcess;
import pulse.testing.RawClient;

/**
 * Issue 11's slow and idle clients, sent to the daemon jar: none of them may hold up anyone else,
 * and each gets 408 when its time is up.
 */
class SlowClientsIT {
  private static final String TOKEN = "slow-clients-it-token-0123456789";
  @TempDir Path dir;

  private DaemonProcess daemon(Map<String, String> extra) throws Exception {
    Map<String, String> env = new java.util.HashMap<>(Map.of("PULSE_API_TOKEN", TOKEN, "PULSE_PROMPT_COMMAND", "/bin/true"));
    env.putAll(extra);
    return new DaemonProcess(dir, env).start();
  }

  @Test
  void eightBodiesThatNeverComeFreezeNothingAndGet408() throws Exception {
    try (DaemonProcess d = daemon(Map.of("PULSE_API_BODY_TIMEOUT", "2s"))) {
      List<RawClient> idle = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        idle.add(new RawClient(d.port(), "127.0.0." + (2 + i)).send("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n"));
      }
      long start = System.nanoTime();
      assertThat(d.get("/api/health").statusCode()).isEqualTo(200);
      HttpResponse<String> write = d.post("/api/pulse/schedule", TOKEN, "{\"prompt\":\"later\",\"scheduled_at\":\"in 1h\"}");
      assertThat(write.statusCode()).as(write.body()).isEqualTo(201);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).as("health and a write while 8 bodies hang").isLessThan(Duration.ofSeconds(1));
      for (RawClient c : idle) {
        String answer = c.readUntilClosed(6_000);
        assertThat(RawClient.statusOf(answer)).isEqualTo(408);
        assertThat(answer).contains("PULSE_API_BODY_TIMEOUT");
        c.close();
      }
    }
  }

  @Test
  void headersSentALineAtATimeGet408AtTheHeaderDeadline() throws Exception {
    try (DaemonProcess d = daemon(Map.of("PULSE_API_HEADER_TIMEOUT", "1s"));
        RawClient slow = new RawClient(d.port())) {
      long start = System.nanoTime();
      slow.send("GET /api/health HTTP/1.1\r\n");
      for (int i = 0; i < 2; i++) {
        Thread.sleep(400);
        slow.send("X-Slow-" + i + ": still here\r\n");
      }
      String answer = slow.readUntilClosed(5_000);
      long tookMs = Duration.ofNanos(System.nanoTime() - start).toMillis();
      assertThat(RawClient.statusOf(answer)).isEqualTo(408);
      assertThat(answer).contains("PULSE_API_HEADER_TIMEOUT");
      assertThat(tookMs).as("the deadline counts from the first byte, not from the last line").isBetween(900L, 1_700L);
    }
  }

  @Test
  void oneAddressGetsItsOwnConnectionsOnlyAndThen429() throws Exception {
    try (DaemonProcess d = daemon(Map.of("PULSE_API_MAX_CONNECTIONS_PER_CLIENT", "4", "PULSE_API_HEADER_TIMEOUT", "30s"))) {
      List<RawClient> held = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        held.add(new RawClient(d.port(), "127.0.0.9").send("GET /api/health HTTP/1.1\r\n"));
      }
      try (RawClient fifth = new RawClient(d.port(), "127.0.0.9")) {
        String answer = fifth.readUntilClosed(5_000);
        assertThat(RawClient.statusOf(answer)).isEqualTo(429);
        assertThat(answer).contains("PULSE_API_MAX_CONNECTIONS_PER_CLIENT");
      }
      assertThat(d.get("/api/health").statusCode()).as("another address is not affected").isEqualTo(200);
      for (RawClient c : held) {
        assertThat(c.waiting()).isTrue();
        c.close();
      }
      try (RawClient again = new RawClient(d.port(), "127.0.0.9")) {
        assertThat(again.send("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").status(5_000))
            .as("closed connections free their slots").isEqualTo(200);
      }
    }
  }

  @Test
  void probeP99StaysUnder100msWhile200SlowClientsAreConnected() throws Exception {
    try (DaemonProcess d = daemon(Map.of("PULSE_API_HEADER_TIMEOUT", "2m"))) {
      List<RawClient> slow = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        // 20 addresses of 10 each: under the per-address bound, as 200 clients on 20 hosts would be
        slow.add(new RawClient(d.port(), "127.0.1." + (1 + i % 20)).send("GET /api/health HTTP/1.1\r\n"));
      }
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpRequest probe = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + d.port() + "/api/health"))
          .timeout(Duration.ofSeconds(5)).build();
      long[] micros = new long[400];
      long lastLine = System.nanoTime();
      for (int i = 0; i < micros.length; i++) {
        long t = System.nanoTime();
        assertThat(http.send(probe, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        micros[i] = (System.nanoTime() - t) / 1_000;
        if (System.nanoTime() - lastLine > Duration.ofSeconds(5).toNanos()) {
          for (RawClient c : slow) {
            c.send("X-Slow: one line every 5 s\r\n"); // as the attackers did
          }
          lastLine = System.nanoTime();
        }
        Thread.sleep(20);
      }
      Arrays.sort(micros);
      long p50 = micros[micros.length / 2];
      long p99 = micros[(int) (micros.length * 0.99) - 1];
      System.out.printf("probe with 200 slow clients: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", p50 / 1e3, p99 / 1e3,
          micros[micros.length - 1] / 1e3);
      assertThat(p99).as("p99 of GET /api/health in µs").isLessThan(100_000);
      long stillConnected = slow.stream().filter(c -> {
        try {
          return c.waiting();
        } catch (java.io.IOException e) {
          return false;
        }
      }).count();
      assertThat(stillConnected).as("the slow clients were connected throughout").isEqualTo(200);
      for (RawClient c : slow) {
        c.close();
      }
    }
  }

  @Test
  void eightTokenFreeClientsLoopingOnReadsLeaveHealthQuick() throws Exception {
    try (DaemonProcess d = daemon(Map.of())) {
      for (int i = 0; i < 300; i++) {
        d.post("/api/pulse/schedule", TOKEN, "{\"prompt\":\"p" + i + "\",\"scheduled_at\":\"in " + (i + 1) + "h\"}");
      }
      java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
      java.util.concurrent.atomic.AtomicInteger fiveHundreds = new java.util.concurrent.atomic.AtomicInteger();
      List<Thread> loops = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String path = List.of("/api/pulse/upcoming?limit=1000", "/api/status", "/metrics", "/").get(i % 4);
        Thread t = new Thread(() -> {
          HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
          HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + d.port() + path)).timeout(Duration.ofSeconds(10)).build();
          while (!stop.get()) {
            try {
              if (http.send(r, HttpResponse.BodyHandlers.discarding()).statusCode() >= 500) {
                fiveHundreds.incrementAndGet();
              }
            } catch (Exception e) {
              return;
            }
          }
        });
        t.start();
        loops.add(t);
      }
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpRequest probe = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + d.port() + "/api/health"))
          .timeout(Duration.ofSeconds(5)).build();
      long[] micros = new long[200];
      for (int i = 0; i < micros.length; i++) {
        long t = System.nanoTime();
        assertThat(http.send(probe, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        micros[i] = (System.nanoTime() - t) / 1_000;
        Thread.sleep(10);
      }
      stop.set(true);
      for (Thread t : loops) {
        t.join(15_000);
      }
      Arrays.sort(micros);
      System.out.printf("probe with 8 token-free read loops: p50 %.1f ms, p99 %.1f ms%n", micros[100] / 1e3, micros[197] / 1e3);
      // The bound is on handler threads, not CPU: the 8 loops run in this JVM on the same 2 shared
      // cores, so the probe's p99 was 60 ms on a quiet machine and 183 ms at load 7. On main it was 16 s.
      assertThat(micros[197]).as("p99 of GET /api/health in µs").isLessThan(1_000_000);
      assertThat(fiveHundreds.get()).isZero();
    }
  }
}
