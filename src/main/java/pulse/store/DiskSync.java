package pulse.store;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes committed transactions durable: a caller whose commit returned calls {@link #afterCommit}
 * and returns only once the database file has been synced to the device by a sync that started
 * after that commit. Callers that arrive while a sync runs share the next one (group sync), so the
 * number of syncs follows the device, not the number of commits. No thread of its own: the caller
 * that finds no sync running does the next one for everyone waiting.
 *
 * <p>Why: H2's MVStore writes a chunk per commit with {@code pwrite} and never syncs it, and when
 * two sessions commit at once the second commit may return before any thread has written its
 * changes (MVStore's {@code tryCommit} gives up if another thread holds the store lock). A kill -9
 * then loses commits that had returned, and a power cut loses the page cache. The sync Database
 * gives (MVStore's blocking {@code commit()}, which waits for the store lock and stores every
 * committed change, then {@code sync()}) therefore covers every commit that returned before it began.
 */
final class DiskSync {
  /** What one sync does: write out everything committed so far, then fsync. */
  @FunctionalInterface
  interface Syncer {
    void sync() throws SQLException;
  }

  private final Syncer syncer;
  private final Object monitor = new Object();
  /** Commits that returned; a commit takes its ticket after it returned. */
  private final AtomicLong commits = new AtomicLong();
  /** The highest ticket a finished sync covers. Guarded by the monitor, as are the two below. */
  private long synced;
  private boolean syncing;
  private long syncs;

  DiskSync(Syncer syncer) {
    this.syncer = syncer;
  }

  /**
   * Called after a commit returned: returns once a sync that began after it has finished. One
   * caller syncs at a time; the others wait for it and return at once if it covered them (they do
   * not queue for a lock only to find out), else one of them syncs next.
   */
  void afterCommit() throws SQLException {
    long ticket = commits.incrementAndGet();
    synchronized (monitor) {
      while (synced < ticket) {
        if (!syncing) {
          syncing = true;
          break;
        }
        try {
          monitor.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new SQLException("interrupted while waiting for the database file to be synced; the commit may not be durable", e);
        }
      }
      if (synced >= ticket) {
        return; // a sync that started after our commit already finished
      }
    }
    long upTo = commits.get(); // every ticket up to here belongs to a commit that already returned
    boolean ok = false;
    try {
      syncer.sync();
      ok = true;
    } finally {
      synchronized (monitor) {
        syncing = false;
        if (ok) {
          synced = Math.max(synced, upTo);
          syncs++;
        }
        monitor.notifyAll();
      }
    }
  }

  /** How many syncs ran: for tests and the benchmark. */
  long syncs() {
    synchronized (monitor) {
      return syncs;
    }
  }
}
