package pulse.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.testing.DaemonProcess;
import pulse.testing.TestPluginJar;

/**
 * The state directory on a small tmpfs that the test fills: the daemon says so (health 503 with the
 * reason, writes 503, one error line naming the file and "no space left"), loses nothing it
 * acknowledged, and recovers by itself once space is freed: writes work and the scheduler fires again.
 */
class FullDiskIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "it-full-disk-token-0123456789";
  @TempDir Path dir;
  private Path mount;

  @AfterEach
  void unmount() throws Exception {
    if (mount != null) {
      new ProcessBuilder("umount", "-l", mount.toString()).inheritIO().start().waitFor();
    }
  }

  @Test
  void aFullDiskIsReportedSurvivedAndRecoveredFromWithoutARestart() throws Exception {
    boolean root = "root".equals(System.getProperty("user.name"));
    if (!root) {
      System.out.println("FullDiskIT skipped: mounting a tmpfs needs root (CI runs as root)");
    }
    Assumptions.assumeTrue(root, "mounting a tmpfs needs root");
    Path work = Files.createDirectories(dir.resolve("work"));
    mount = Files.createDirectories(work.resolve("state"));
    assertThat(new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", mount.toString()).inheritIO().start().waitFor()).isZero();
    List<Long> acked = new ArrayList<>();
    try (DaemonProcess d = new DaemonProcess(work, Map.of("PULSE_API_TOKEN", TOKEN, "PULSE_PROMPT_COMMAND", "true",
        "PULSE_JOB_IT_TICK_SCHEDULE", "every 1s"))) {
      TestPluginJar.write(d.pluginsDir());
      d.start();
      await().atMost(Duration.ofSeconds(20)).until(() -> ticks(d) >= 2);
      acked.add(schedule(d, "before"));

      Path fill = mount.resolve("fill");
      fillUp(fill);
      int status = 0;
      HttpResponse<String> refused = null;
      for (int i = 0; i < 200 && status != 503; i++) {
        refused = d.post("/api/pulse/schedule", TOKEN, "{\"prompt\":\"during " + i + "\",\"scheduled_at\":\"in 1d\"}");
        status = refused.statusCode();
        assertThat(status).as(refused.body()).isIn(201, 503);
        if (status == 201) {
          acked.add(JSON.readTree(refused.body()).path("id").asLong());
        }
      }
      assertThat(status).as("a write on a full disk is refused with 503").isEqualTo(503);
      assertThat(refused.body()).contains("no space left on device").contains("pulse.mv.db");
      assertThat(refused.headers().firstValue("Retry-After")).isPresent();
      HttpResponse<String> health = d.get("/api/health");
      assertThat(health.statusCode()).isEqualTo(503);
      assertThat(health.body()).contains("no space left on device");
      HttpResponse<String> run = d.post("/api/jobs/it-tick/run", TOKEN, "");
      assertThat(run.statusCode()).as("a manual run that cannot be recorded: " + run.body()).isEqualTo(503);
      assertThat(d.output()).contains("cannot be written: no space left on device");
      assertThat(d.output().split("cannot be written: no space left", -1).length - 1).as("one error line per fault").isEqualTo(1);

      Files.delete(fill);
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> d.get("/api/health").statusCode() == 200);
      acked.add(schedule(d, "after"));
      long ticksNow = ticks(d);
      await().atMost(Duration.ofSeconds(30)).until(() -> ticks(d) >= ticksNow + 2);
      assertThat(d.process().isAlive()).isTrue();
      fillUp(fill); // full again, then a stop: a start on a full disk must say why it cannot run
    }
    Process onFull = new DaemonProcess(dir.resolve("work"), Map.of("PULSE_API_TOKEN", TOKEN)).command("daemon").start();
    var said = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        return new String(onFull.getInputStream().readAllBytes());
      } catch (IOException e) {
        return e.toString();
      }
    });
    boolean ended = onFull.waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
    if (!ended) {
      onFull.destroyForcibly();
    }
    assertThat(ended).as("a start on a full disk ends with a clear error").isTrue();
    assertThat(said.get(10, java.util.concurrent.TimeUnit.SECONDS)).contains("no space left on device");
    assertThat(onFull.exitValue()).as("a full disk is worth retrying: exit 1, not 78").isEqualTo(1);
    Files.delete(mount.resolve("fill"));
    // everything acknowledged is there after a restart
    try (DaemonProcess d = new DaemonProcess(dir.resolve("work"), Map.of("PULSE_API_TOKEN", TOKEN, "PULSE_PROMPT_COMMAND", "true")).start()) {
      for (long id : acked) {
        assertThat(d.get("/api/pulse/" + id).statusCode()).as("pulse %d", id).isEqualTo(200);
      }
    }
  }

  private static long schedule(DaemonProcess d, String prompt) throws Exception {
    HttpResponse<String> r = d.post("/api/pulse/schedule", TOKEN, "{\"prompt\":\"" + prompt + "\",\"scheduled_at\":\"in 1d\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return JSON.readTree(r.body()).path("id").asLong();
  }

  private static long ticks(DaemonProcess d) throws Exception {
    HttpResponse<String> r = d.get("/api/runs?job=it-tick&limit=1000");
    if (r.statusCode() != 200) {
      return -1;
    }
    long n = 0;
    for (var run : JSON.readTree(r.body())) {
      if ("success".equals(run.path("outcome").asText())) {
        n++;
      }
    }
    return n;
  }

  private static void fillUp(Path fill) {
    byte[] block = new byte[1 << 16];
    try (OutputStream out = Files.newOutputStream(fill)) {
      while (true) {
        out.write(block);
      }
    } catch (IOException e) {
      // the file system is full
    }
  }
}
