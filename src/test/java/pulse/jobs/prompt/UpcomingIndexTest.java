package pulse.jobs.prompt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.store.Database;

/** "Next N" with the 41,107 pending pulses: read off the index, not a sort of the queue. */
class UpcomingIndexTest {
  @TempDir Path dir;
  Database db;
  PromptQueue queue;
  final Instant t0 = Instant.parse("2026-05-01T10:00:00Z");

  @BeforeEach
  void open() {
    db = PromptTesting.database(dir);
    queue = new PromptQueue(db.dataSource(), db.transactions());
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void upcomingReadsTheIndexInOrderAndStopsAfterLimitRows() throws Exception {
    try (Connection c = db.dataSource().getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("EXPLAIN " + PromptQueue.UPCOMING.replace("?", "'pending'") + "1 ROWS ONLY")) {
      rs.next();
      assertThat(rs.getString(1)).as("H2's plan").contains("PULSE_PROMPTS_STATUS_TIME").contains("index sorted");
    }
  }

  @Test
  void theNextPulseOf41107IsQuickAndRunningOnesComeFirst() throws Exception {
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("INSERT INTO pulse_prompts (prompt, scheduled_at, priority, priority_rank, source,"
            + " status, attempts, created_at, updated_at) VALUES (?, ?, 'normal', 2, 'test', 'pending', 0, ?, ?)")) {
      c.setAutoCommit(false);
      for (int i = 0; i < 41_107; i++) {
        ps.setString(1, "p" + i);
        ps.setTimestamp(2, Timestamp.from(t0.plusSeconds(41_107 - i)));
        ps.setTimestamp(3, Timestamp.from(t0));
        ps.setTimestamp(4, Timestamp.from(t0));
        ps.addBatch();
      }
      ps.executeBatch();
      c.commit();
    }
    queue.claimDue("me", t0.plusSeconds(2), t0.plusSeconds(60), 1); // the earliest one is running now
    long[] micros = new long[20];
    List<PromptPulse> next = List.of();
    for (int i = 0; i < micros.length; i++) {
      long t = System.nanoTime();
      next = queue.upcoming(3);
      micros[i] = (System.nanoTime() - t) / 1_000;
    }
    assertThat(next).extracting(PromptPulse::prompt).containsExactly("p41106", "p41105", "p41104");
    assertThat(next.get(0).status()).isEqualTo(PulseStatus.PROCESSING);
    Arrays.sort(micros);
    System.out.printf("upcoming(3) over 41,107 pending: median %d µs, max %d µs%n", micros[10], micros[19]);
    assertThat(micros[10]).as("median µs; a sort of the queue took 1.7 s").isLessThan(50_000);
  }
}
