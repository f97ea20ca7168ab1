package pulse.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.testing.AckWriter;

/**
 * What the store acknowledged survives kill -9: a child JVM commits rows and prints each id after
 * its commit returned; the test kills it with SIGKILL mid-stream and finds every acknowledged row.
 * (H2's default WRITE_DELAY of 500 ms would lose the last half second: Database sets it to 0.)
 */
class DurabilityTest {
  @TempDir Path dir;

  @Test
  void everyAcknowledgedCommitSurvivesKillDashNine() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), AckWriter.class.getName(), dir.toString())
        .redirectErrorStream(true)
        .start();
    List<Long> acked = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("ack ")) {
          acked.add(Long.parseLong(line.substring(4)));
          if (acked.size() == 300) {
            new ProcessBuilder("kill", "-9", String.valueOf(p.pid())).start().waitFor();
          }
        }
      }
    }
    assertThat(p.waitFor()).isEqualTo(137);
    assertThat(acked).hasSizeGreaterThanOrEqualTo(300);
    try (Database db = Database.openEmbedded(dir)) {
      db.migrate();
      Set<Long> stored = new HashSet<>();
      for (RunRecord rr : new JdbcRunHistory(db).recent(new RunQuery("durable", false, 1000))) {
        stored.add(rr.id());
      }
      assertThat(stored).containsAll(acked);
    }
  }
}
