package pulse.jobs.prompt;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import javax.sql.DataSource;

/**
 * Group commit for inserts: concurrent requests hand their pulse to one writer thread, which stores
 * whatever has queued up in a single transaction and answers each request only after that commit
 * returned. With WRITE_DELAY=0 every H2 commit writes a chunk to the file — the largest cost of a
 * POST — so N concurrent requests pay for one write instead of N, and each acknowledgement still
 * means "on disk". A failed batch is retried row by row, so one bad row fails only its own request.
 */
final class GroupCommit {
  static final int MAX_BATCH = 64;

  /** Inserts one row on a connection that is inside a transaction. */
  @FunctionalInterface
  interface RowWriter {
    PromptPulse write(Connection c, NewPulse p, Instant now) throws SQLException;
  }

  private record Pending(NewPulse pulse, Instant now, CompletableFuture<PromptPulse> done) {}

  private final DataSource ds;
  private final RowWriter writer;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Thread thread;

  GroupCommit(DataSource ds, RowWriter writer) {
    this.ds = ds;
    this.writer = writer;
    this.thread = new Thread(this::loop, "pulse-prompt-writer");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** Stores the pulse; returns once it is committed. */
  PromptPulse insert(NewPulse p, Instant now) {
    CompletableFuture<PromptPulse> done = new CompletableFuture<>();
    queue.add(new Pending(p, now, done));
    try {
      return done.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PromptStoreException("interrupted while the pulse was being stored; it may or may not be stored");
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      throw c instanceof PromptStoreException pse ? pse : new PromptStoreException("cannot store the pulse: " + c.getMessage(), c);
    }
  }

  /** Stops the writer; inserts still queued fail (their requests get an error, nothing was acknowledged). */
  void close() {
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Pending p;
    while ((p = queue.poll()) != null) {
      p.done().completeExceptionally(new PromptStoreException("Pulse is stopping; the pulse was not stored"));
    }
  }

  private void loop() {
    List<Pending> batch = new ArrayList<>();
    while (true) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        return;
      }
      queue.drainTo(batch, MAX_BATCH - 1);
      write(batch);
      batch.clear();
    }
  }

  private void write(List<Pending> batch) {
    List<PromptPulse> stored = new ArrayList<>(batch.size());
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try {
        for (Pending p : batch) {
          stored.add(writer.write(c, p.pulse(), p.now()));
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        c.setAutoCommit(true);
        one(c, batch);
        return;
      }
      c.setAutoCommit(true);
    } catch (SQLException | RuntimeException e) {
      batch.forEach(p -> p.done().completeExceptionally(new PromptStoreException("cannot store the pulse: " + e.getMessage(), e)));
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).done().complete(stored.get(i));
    }
  }

  /** After a failed batch: each row in its own transaction, each request told its own result. */
  private void one(Connection c, List<Pending> batch) {
    for (Pending p : batch) {
      try {
        p.done().complete(writer.write(c, p.pulse(), p.now()));
      } catch (SQLException | RuntimeException e) {
        p.done().completeExceptionally(new PromptStoreException("cannot store the pulse: " + e.getMessage(), e));
      }
    }
  }
}
