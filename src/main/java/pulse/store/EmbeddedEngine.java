package pulse.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;
import pulse.api.store.Dialect;

/** The embedded H2 file in the state directory: H2's own pool, and Pulse's sync after every commit. */
final class EmbeddedEngine implements Engine {
  static final int MAX_CONNECTIONS = 32;
  private final DatabaseFiles files;
  private final String url;
  private volatile JdbcConnectionPool pool;
  private JdbcConnectionPool syncPool; // these three: used by one DiskSync sync at a time
  private Connection syncConnection;
  private org.h2.mvstore.MVStore syncStore;

  EmbeddedEngine(DatabaseFiles files) {
    this.files = files;
    // async: H2's default file system closes the database for every thread when one thread is
    // interrupted during file I/O (h2database#227), and the runner interrupts runs on timeout and
    // shutdown. The async file system survives that.
    // WRITE_DELAY=0: commit writes its chunk at once; DiskSync then syncs it (H2 itself never does).
    this.url = "jdbc:h2:async:" + files.base() + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000;QUERY_CACHE_SIZE=128";
    openPool();
  }

  @Override
  public Dialect dialect() {
    return Dialect.H2;
  }

  @Override
  public DataSource pool() {
    return pool;
  }

  @Override
  public boolean needsSync() {
    return true;
  }

  /**
   * Stores everything committed and fsyncs. Not {@code CHECKPOINT SYNC}: H2's {@code Database.sync()}
   * holds the database's monitor while it waits for MVStore's store lock, and a store that fails
   * (a full disk) holds that lock while its panic handler waits for the monitor, so the two
   * deadlocked for good. MVStore's own {@code commit()} (blocking, stores what is committed) and
   * {@code sync()} (fsync) take only the store lock. The store is reached through a connection of
   * the sync's own: committers hold theirs while they wait. DiskSync runs one at a time.
   */
  @Override
  public void sync() throws SQLException {
    try {
      if (syncConnection == null || syncPool != pool) {
        closeSyncConnection();
        syncPool = pool;
        syncConnection = syncPool.getConnection();
        org.h2.engine.Session session = syncConnection.unwrap(org.h2.jdbc.JdbcConnection.class).getSession();
        syncStore = ((org.h2.engine.SessionLocal) session).getDatabase().getStore().getMvStore();
      }
      syncStore.commit();
      syncStore.sync();
    } catch (RuntimeException e) { // MVStoreException: the file could not be written
      closeSyncConnection();
      throw new SQLException("cannot sync " + files.file() + ": " + e.getMessage(), "HY000", 90028, e);
    } catch (SQLException e) {
      closeSyncConnection();
      throw e;
    }
  }

  private void closeSyncConnection() {
    if (syncConnection != null) {
      try {
        syncConnection.close();
      } catch (SQLException ignored) {
        // broken already
      }
      syncConnection = null;
      syncStore = null;
    }
  }

  @Override
  public void reopen() {
    JdbcConnectionPool old = pool;
    openPool();
    old.dispose();
  }

  @Override
  public String where() {
    return files.file().toString();
  }

  @Override
  public Optional<String> schema() {
    return Optional.empty();
  }

  @Override
  public Optional<DatabaseFiles> files() {
    return Optional.of(files);
  }

  @Override
  public void openPool() {
    JdbcConnectionPool p = JdbcConnectionPool.create(url, "pulse", "");
    p.setMaxConnections(MAX_CONNECTIONS);
    pool = p;
  }

  @Override
  public void closePool() {
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement()) {
      s.execute("SHUTDOWN"); // flushes and closes the file cleanly
    } catch (SQLException e) {
      // already closed: nothing to flush
    }
    pool.dispose();
  }

  @Override
  public StoreOpening describe(SQLException e) {
    String msg = Optional.ofNullable(e.getMessage()).orElse(e.toString());
    if (msg.contains("already in use") || msg.contains("locked by another process")) {
      return new StoreOpening("the database " + files.file() + " is in use by another Pulse process; stop it first"
          + " (commands that need the daemon talk to its API instead)", false);
    }
    if (e instanceof StoreUnavailableException) {
      return new StoreOpening(msg, false);
    }
    return new StoreOpening("cannot open the database " + files.file() + ": " + msg.lines().findFirst().orElse(msg), false);
  }

  @Override
  public void close() {
    closeSyncConnection();
    closePool();
  }
}
