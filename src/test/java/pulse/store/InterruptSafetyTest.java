package pulse.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner interrupts a run's thread on timeout and on shutdown, and that thread may be inside H2
 * at that moment (recording the run's end, or a job using the extension DataSource). With H2's
 * default file system an interrupt during file I/O closes the FileChannel and with it the database,
 * for every thread (h2database#227, #1076); the {@code async:} file system is not closed by it.
 */
class InterruptSafetyTest {
  @TempDir Path dir;

  @Test
  void interruptingAWriterMidCommitLosesNothingAndLeavesTheDatabaseUsable() throws Exception {
    try (Database db = Database.openEmbedded(dir)) {
      db.migrate();
      RunHistory history = new JdbcRunHistory(db);
      Instant now = Instant.parse("2026-11-28T12:00:00Z");
      List<Long> acknowledged = new CopyOnWriteArrayList<>();
      for (int i = 0; i < 40; i++) {
        AtomicInteger mine = new AtomicInteger();
        Thread writer = new Thread(() -> {
          while (!Thread.currentThread().isInterrupted()) {
            try {
              acknowledged.add(history.begin(new NewRun("writer", "manual", now, now, null)));
              mine.incrementAndGet();
            } catch (RuntimeException e) {
              return; // the interrupted writer may fail its own write; nobody else may notice
            }
          }
        });
        writer.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> mine.get() >= 3 || !writer.isAlive());
        assertThat(mine.get()).as("writes of a fresh thread after %d interrupted writers", i).isGreaterThanOrEqualTo(3);
        writer.interrupt(); // most likely inside a commit: the writer does nothing else
        writer.join();
      }
      long after = history.begin(new NewRun("after", "manual", now, now, null));
      assertThat(history.find(after)).isPresent();
      assertThat(acknowledged).allSatisfy(id -> assertThat(history.find(id)).as("run %d", id).isPresent());
    }
  }
}
