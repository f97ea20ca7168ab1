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
 * Without the sync after every commit (DurableDataSource) H2 lost commits that had returned when
 * another session was storing at the same instant.
 */
class DurabilityTest {
  @TempDir Path dir;

  /** Ten rounds, each killed after a random number of acknowledgements. */
  @Test
  void everyAcknowledgedCommitSurvivesKillDashNine() throws Exception {
    java.util.Random random = new java.util.Random();
    for (int round = 0; round < 10; round++) {
      Path d = dir.resolve("round-" + round);
      int killAfter = 50 + random.nextInt(3000);
      List<Long> acked = writeUntilKilled(d, killAfter);
      assertThat(acked).hasSizeGreaterThanOrEqualTo(killAfter);
      try (Database db = Database.openEmbedded(d)) {
        db.migrate();
        Set<Long> stored = new HashSet<>();
        try (var c = db.dataSource().getConnection(); var st = c.createStatement();
            var rs = st.executeQuery("SELECT id FROM pulse_runs WHERE job_id = 'durable'")) {
          while (rs.next()) {
            stored.add(rs.getLong(1));
          }
        }
        assertThat(stored).as("round %d, killed after %d acks", round, killAfter).containsAll(acked);
      }
    }
  }

  private static List<Long> writeUntilKilled(Path d, int killAfter) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), AckWriter.class.getName(), d.toString())
        .redirectErrorStream(true)
        .start();
    List<Long> acked = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("ack ")) {
          acked.add(Long.parseLong(line.substring(4)));
          if (acked.size() == killAfter) {
            new ProcessBuilder("kill", "-9", String.valueOf(p.pid())).start().waitFor();
          }
        }
      }
    }
    assertThat(p.waitFor()).isEqualTo(137);
    return acked;
  }
}
