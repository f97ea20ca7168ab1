package pulse.store;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import pulse.api.Transactions;

/**
 * {@link Transactions} by group commit. A caller queues its work and takes the lock; whoever holds
 * it runs everything queued so far in one transaction, each work under a savepoint of its own, and
 * commits once. Callers that arrive while a group commits queue up and form the next group, so the
 * number of commits follows the rate of the store's writes, not the rate of callers. A caller whose
 * work was done by another thread finds it done when it gets the lock and returns at once.
 *
 * <p>Why: H2 writes a new chunk to its file for every commit, and Pulse syncs the file after each
 * (see DiskSync); both dominated the cost of a burst of fires and of API writes. No extra thread:
 * the group's leader is one of its callers. The sync happens outside the lock, so while one group
 * waits for the disk the next one is already being committed.
 */
public final class GroupCommit implements Transactions {
  /** Bounds one transaction; a longer queue is committed in several groups. */
  static final int MAX_GROUP = 256;

  /** Makes a commit durable; run by each caller after the group lock is released. */
  @FunctionalInterface
  interface AfterCommit {
    void durable() throws SQLException;
  }

  private final DataSource ds;
  private final AfterCommit afterCommit;
  private final ReentrantLock lock = new ReentrantLock();
  private final Queue<Pending<?>> queue = new ConcurrentLinkedQueue<>();
  private long groups;

  /** Over a data source whose commits are already durable (or a test's). */
  public GroupCommit(DataSource ds) {
    this(ds, () -> {});
  }

  /**
   * Over a data source whose commits are not yet synced: each caller waits for {@code afterCommit}
   * once the lock is free, so the next group commits while this one's sync runs, and the callers of
   * both share that sync (DiskSync).
   */
  GroupCommit(DataSource ds, AfterCommit afterCommit) {
    this.ds = ds;
    this.afterCommit = afterCommit;
  }

  @Override
  public <T> T inTransaction(Work<T> work) throws SQLException {
    Pending<T> mine = new Pending<>(work, Context.current());
    queue.add(mine);
    lock.lock();
    try {
      while (!mine.done) {
        commitGroup();
      }
    } finally {
      lock.unlock();
    }
    T value = mine.outcome();
    if (mine.committed) {
      afterCommit.durable();
    }
    return value;
  }

  /** With the lock held: runs and commits up to {@link #MAX_GROUP} queued works. */
  private void commitGroup() {
    List<Pending<?>> group = new ArrayList<>();
    for (Pending<?> p; group.size() < MAX_GROUP && (p = queue.poll()) != null; ) {
      group.add(p);
    }
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try {
        for (Pending<?> p : group) {
          run(c, p, group.size() > 1);
        }
        c.commit();
        groups++;
        for (Pending<?> p : group) {
          p.committed = p.error == null;
        }
      } catch (SQLException | RuntimeException | Error e) {
        rollbackQuietly(c, e);
        throw e;
      } finally {
        c.setAutoCommit(true); // the connection goes back to a pool whose users expect auto-commit
      }
    } catch (SQLException | RuntimeException | Error e) {
      for (Pending<?> p : group) {
        p.failCommit(e);
      }
    } finally {
      for (Pending<?> p : group) {
        p.done = true; // even after an Error: a caller whose work was taken must not wait forever
      }
    }
  }

  /** How many groups were committed: for tests. */
  long groupsCommitted() {
    lock.lock();
    try {
      return groups;
    } finally {
      lock.unlock();
    }
  }

  /** Runs one work; a failure undoes that work's changes only. */
  private static void run(Connection c, Pending<?> p, boolean shared) throws SQLException {
    Savepoint sp = shared ? c.setSavepoint() : null;
    try (Scope ignored = p.context.makeCurrent()) {
      p.run(c);
    } catch (SQLException | RuntimeException | LinkageError e) {
      if (sp != null) {
        c.rollback(sp);
      } else {
        c.rollback();
      }
      p.error = e;
      return;
    }
    if (sp != null) {
      c.releaseSavepoint(sp);
    }
  }

  private static void rollbackQuietly(Connection c, Throwable cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  /** One caller's work and, once done, its result. Fields are guarded by the lock. */
  private static final class Pending<T> {
    final Work<T> work;
    final Context context;
    T value;
    Throwable error;
    boolean done;
    boolean committed;

    Pending(Work<T> work, Context context) {
      this.work = work;
      this.context = context;
    }

    void run(Connection c) throws SQLException {
      value = work.run(c);
    }

    void failCommit(Throwable e) {
      if (error == null) {
        error = e;
        value = null;
      }
    }

    T outcome() throws SQLException {
      if (error instanceof SQLException s) {
        throw s;
      }
      if (error instanceof RuntimeException r) {
        throw r;
      }
      if (error instanceof Error e) {
        throw e;
      }
      return value;
    }
  }
}
