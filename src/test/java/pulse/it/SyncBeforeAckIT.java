package pulse.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.testing.DaemonProcess;

/**
 * The daemon under {@code strace -f}: between two acknowledged POSTs (each 201 written to its
 * socket) there is an fsync or fdatasync of the database file, so every answer a client got was on
 * the device before it was sent, not only in the page cache.
 */
class SyncBeforeAckIT {
  private static final String TOKEN = "it-strace-token-0123456789";
  private static final int POSTS = 50;
  @TempDir Path dir;

  @Test
  void everyAcknowledgedPulseIsSyncedToTheDeviceBeforeItsResponse() throws Exception {
    boolean strace = Files.isExecutable(Path.of("/usr/bin/strace"));
    if (!strace) {
      System.out.println("SyncBeforeAckIT skipped: no /usr/bin/strace (apt-get install strace; .ci/run does)");
    }
    Assumptions.assumeTrue(strace, "strace is not installed");
    Path trace = dir.resolve("trace.txt");
    DaemonProcess d = new DaemonProcess(dir, Map.of("PULSE_API_TOKEN", TOKEN, "PULSE_PROMPT_COMMAND", "true"));
    ProcessBuilder pb = d.command("daemon").redirectOutput(dir.resolve("daemon.log").toFile());
    pb.command().addAll(0, List.of("strace", "-f", "-y", "-s", "40", "-e", "trace=fsync,fdatasync,write", "-o", trace.toString()));
    Process p = pb.start();
    try {
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(d::healthy);
      for (int i = 0; i < POSTS; i++) {
        HttpResponse<String> r = d.post("/api/pulse/schedule", TOKEN, "{\"prompt\":\"sync " + i + "\",\"scheduled_at\":\"in 1d\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
      }
    } finally {
      p.destroy();
      p.waitFor(60, TimeUnit.SECONDS);
    }
    String db = d.stateDir().resolve("pulse.mv.db").toString();
    int acks = 0;
    int unsynced = 0;
    boolean synced = false;
    for (String line : Files.readAllLines(trace)) {
      if ((line.contains(" fsync(") || line.contains(" fdatasync(")) && line.contains(db) && line.endsWith("= 0")) {
        synced = true;
      } else if (line.contains(" write(") && line.contains("<socket:") && line.contains("\"HTTP/1.1 201")) {
        acks++;
        if (!synced) {
          unsynced++;
        }
        synced = false;
      }
    }
    assertThat(acks).as("201 responses seen in the trace").isEqualTo(POSTS);
    assertThat(unsynced).as("201s sent without a sync of " + db + " since the previous one").isZero();
  }
}
