package pulse.jobs.prompt;

import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import pulse.testing.StoreBackend;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.store.Database;

/** The queue against a real H2 file database. */
@ParameterizedClass
@EnumSource(StoreBackend.class)
class PromptQueueTest {
  @Parameter StoreBackend backend;
  @TempDir Path dir;
  Database db;
  PromptQueue queue;
  final Instant t0 = Instant.parse("2026-05-01T10:00:00Z");

  @BeforeEach
  void open() {
    db = PromptTesting.database(backend, dir);
    queue = new PromptQueue(db.store());
  }

  @AfterEach
  void close() {
    db.close();
  }

  private PromptPulse add(String prompt, Priority p, Instant at) {
    return queue.insert(NewPulse.of(prompt, at, p, "test"), t0);
  }

  @Test
  void duePulsesAreClaimedByPriorityThenTime() {
    add("low-early", Priority.LOW, t0.minusSeconds(60));
    add("normal-late", Priority.NORMAL, t0.minusSeconds(10));
    add("critical", Priority.CRITICAL, t0.minusSeconds(5));
    add("normal-early", Priority.NORMAL, t0.minusSeconds(30));
    add("future-critical", Priority.CRITICAL, t0.plusSeconds(60));

    List<PromptPulse> claimed = queue.claimDue("me", t0, t0.plusSeconds(60), 10);

    assertThat(claimed).extracting(PromptPulse::prompt).containsExactly("critical", "normal-early", "normal-late", "low-early");
    assertThat(claimed).allSatisfy(p -> {
      assertThat(p.status()).isEqualTo(PulseStatus.PROCESSING);
      assertThat(p.attempts()).isEqualTo(1);
    });
    assertThat(queue.claimDue("me", t0, t0.plusSeconds(60), 10)).isEmpty();
  }

  @Test
  void concurrentClaimersNeverTakeTheSamePulse() throws Exception {
    for (int i = 0; i < 200; i++) {
      add("p" + i, Priority.NORMAL, t0);
    }
    ConcurrentLinkedQueue<Long> taken = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    CountDownLatch go = new CountDownLatch(1);
    for (int w = 0; w < 4; w++) {
      String owner = "w" + w;
      pool.execute(() -> {
        try {
          go.await();
          List<PromptPulse> got;
          while (!(got = queue.claimDue(owner, t0, t0.plusSeconds(60), 3)).isEmpty()) {
            got.forEach(p -> taken.add(p.id()));
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
    }
    go.countDown();
    pool.shutdown();
    assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
    assertThat(taken).hasSize(200).doesNotHaveDuplicates();
  }

  @Test
  void onlyPendingPulsesCanBeCancelled() {
    PromptPulse a = add("a", Priority.NORMAL, t0);
    PromptPulse b = add("b", Priority.NORMAL, t0.plusSeconds(600));
    queue.claimDue("me", t0, t0.plusSeconds(60), 1);

    assertThat(queue.cancel(a.id(), t0)).isFalse();
    assertThat(queue.cancel(b.id(), t0)).isTrue();
    assertThat(queue.cancel(b.id(), t0)).isFalse();
    assertThat(queue.find(b.id()).orElseThrow().status()).isEqualTo(PulseStatus.CANCELLED);
    assertThat(queue.claimDue("me", t0.plusSeconds(900), t0.plusSeconds(960), 10)).isEmpty();
  }

  @Test
  void anExpiredLeaseIsRetriedWhileAttemptsRemainThenFailed() {
    PromptPulse p = add("stuck", Priority.NORMAL, t0);
    int max = 2;
    queue.claimDue("dead-executor", t0, t0.plusSeconds(30), 1);
    assertThat(queue.expired(t0.plusSeconds(10))).isEmpty(); // lease still valid

    Instant later = t0.plusSeconds(31);
    List<PromptQueue.Expired> expired = queue.expired(later);
    assertThat(expired).extracting(PromptQueue.Expired::id).containsExactly(p.id());
    assertThat(queue.reclaim(expired.get(0), max, later, later)).contains(PulseStatus.PENDING);
    assertThat(queue.find(p.id()).orElseThrow().lastError()).contains("lease expired");

    queue.claimDue("dead-again", later, later.plusSeconds(30), 1);
    Instant evenLater = later.plusSeconds(31);
    assertThat(queue.reclaim(queue.expired(evenLater).get(0), max, evenLater, evenLater)).contains(PulseStatus.FAILED);
    PromptPulse failed = queue.find(p.id()).orElseThrow();
    assertThat(failed.status()).isEqualTo(PulseStatus.FAILED);
    assertThat(failed.attempts()).isEqualTo(2);
    assertThat(failed.finishedAt()).isEqualTo(evenLater);
  }

  @Test
  void aRenewedLeaseIsNotReclaimedAndAFinishAfterLosingTheLeaseIsRefused() {
    PromptPulse p = add("long", Priority.NORMAL, t0);
    queue.claimDue("me", t0, t0.plusSeconds(30), 1);
    assertThat(queue.renew(p.id(), "me", t0.plusSeconds(90), t0.plusSeconds(20))).isTrue();
    assertThat(queue.expired(t0.plusSeconds(60))).isEmpty();
    assertThat(queue.renew(p.id(), "someone-else", t0.plusSeconds(90), t0)).isFalse();

    Instant late = t0.plusSeconds(91);
    queue.reclaim(queue.expired(late).get(0), 3, late, late);
    Attempt ok = new Attempt(true, 0, null, "out", null, 5);
    assertThat(queue.finish(p.id(), "me", ok, PulseStatus.COMPLETED, p.scheduledAt(), late)).isFalse();
    assertThat(queue.find(p.id()).orElseThrow().status()).isEqualTo(PulseStatus.PENDING);
  }

  @Test
  void aDedupeKeyStoresAPulseOnce() {
    NewPulse p = new NewPulse("hi", t0, Priority.NORMAL, "telegram", List.of(), null, null, "telegram:7");
    assertThat(queue.insertIfNew(p, t0)).isPresent();
    assertThat(queue.insertIfNew(p, t0)).isEmpty();
    assertThat(queue.countByStatus()).containsEntry("pending", 1L);
  }

  @Test
  void statisticsCountFinishedPulsesAndAverageTheirRunTime() {
    PromptPulse a = add("a", Priority.NORMAL, t0);
    PromptPulse b = add("b", Priority.NORMAL, t0);
    queue.claimDue("me", t0, t0.plusSeconds(60), 2);
    queue.finish(a.id(), "me", new Attempt(true, 0, null, "", null, 1000), PulseStatus.COMPLETED, t0, t0.plusSeconds(1));
    queue.finish(b.id(), "me", new Attempt(false, 1, "exit 1", "", null, 3000), PulseStatus.FAILED, t0, t0.plusSeconds(3));

    PromptQueue.Finished f = queue.finishedSince(t0.minus(Duration.ofHours(1)));
    assertThat(f.completed()).isEqualTo(1);
    assertThat(f.failed()).isEqualTo(1);
    assertThat(f.averageMillis()).isEqualTo(2000.0);
    assertThat(queue.countByStatus()).containsEntry("completed", 1L).containsEntry("failed", 1L).containsEntry("pending", 0L);
  }

  @Test
  void concurrentInsertsShareCommitsAndABadRowFailsOnlyItsOwnRequest() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    ConcurrentLinkedQueue<Long> ids = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    for (int i = 0; i < 400; i++) {
      String prompt = i == 200 ? "x".repeat(40_000) : "p" + i; // longer than the column: the database refuses it
      pool.execute(() -> {
        try {
          ids.add(queue.insert(NewPulse.of(prompt, t0, Priority.NORMAL, "test"), t0).id());
        } catch (pulse.api.store.StoreException e) {
          errors.add(e);
        }
      });
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
    assertThat(ids).hasSize(399).doesNotHaveDuplicates();
    assertThat(errors).hasSize(1);
    assertThat(errors.peek()).hasMessageContaining("store the pulse").hasMessageContaining("pulse_prompts");
    assertThat(queue.countByStatus()).containsEntry("pending", 399L);
  }

  // "Next N" with the issue's 41,107 pending pulses: read off the index, not a sort of the queue.
  @Test
  void upcomingReadsTheIndexInOrderAndStopsAfterLimitRows() throws Exception {
    if (backend == StoreBackend.POSTGRESQL) {
      // PostgreSQL plans by statistics: give it a queue worth an index, then read its plan
      try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
        st.execute("INSERT INTO pulse_prompts (prompt, scheduled_at, priority, priority_rank, source, status, attempts,"
            + " created_at, updated_at) SELECT 'p' || g, now() + g * interval '1 second', 'normal', 2, 'test', 'pending', 0,"
            + " now(), now() FROM generate_series(1, 20000) g");
        st.execute("ANALYZE pulse_prompts");
        StringBuilder plan = new StringBuilder();
        try (ResultSet rs = st.executeQuery("EXPLAIN " + PromptQueue.UPCOMING.replace("?", "'pending'") + "1 ROWS ONLY")) {
          while (rs.next()) {
            plan.append(rs.getString(1)).append('\n');
          }
        }
        // an incremental sort on the index's presorted scheduled_at (ties by id) stops after the first rows;
        // a full Sort or a Seq Scan would read the whole queue
        assertThat(plan.toString()).as("PostgreSQL's plan").contains("Index Scan using pulse_prompts_status_time")
            .doesNotContain("Seq Scan").doesNotContainPattern("(?m)^\\s*(->\\s+)?Sort  \\(");
      }
      return;
    }
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
