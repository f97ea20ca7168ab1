package pulse.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pulse.api.Transactions;

/**
 * Pulse's database: an embedded H2 file in the state directory, pooled, migrated with Flyway.
 *
 * <p>Everything reaches it through {@link #dataSource()}, whose connections sync the file before a
 * commit returns ({@link DurableDataSource}) and report store faults ({@link StoreFaults}). After
 * a fault, a probe retries a small write every {@link #PROBE_EVERY} and, once it succeeds, reopens
 * what was closed and tells the listeners given to {@link #onRecovered} (the scheduler resumes).
 */
public final class Database implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Database.class);
  /** The database file is {@code <state dir>/pulse.mv.db}. */
  public static final String FILE_NAME = "pulse";
  public static final int DEFAULT_MAX_CONNECTIONS = 32;
  /** How often a faulted store tries a write again. */
  static final Duration PROBE_EVERY = Duration.ofSeconds(2);
  /**
   * Where {@code db-backup} writes besides {@code <state dir>/backups}: a refused file names the
   * newest backup found in either.
   */
  public static final String BACKUP_DIR_SETTING = "PULSE_DB_BACKUP_DIR";
  private static final String MIGRATIONS = "classpath:pulse/store/migration";
  private static final String HISTORY = "pulse_schema_history";

  private final DatabaseFiles files;
  private final String url;
  private volatile JdbcConnectionPool pool;
  private final StoreFaults faults;
  private final DiskSync sync;
  private final DurableDataSource dataSource;
  private final GroupCommit writes;
  private final List<Runnable> recoveryListeners = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService prober;
  private volatile boolean closed;
  private JdbcConnectionPool syncPool; // these three: used by one DiskSync sync at a time
  private Connection syncConnection;
  private org.h2.mvstore.MVStore syncStore;

  private Database(DatabaseFiles files) {
    this.files = files;
    // async: H2's default file system closes the database for every thread when one thread is
    // interrupted during file I/O (h2database#227), and the runner interrupts runs on timeout and
    // shutdown. The async file system survives that.
    // WRITE_DELAY=0: commit writes its chunk at once; DiskSync then syncs it (H2 itself never does).
    this.url = "jdbc:h2:async:" + files.base() + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000;QUERY_CACHE_SIZE=128";
    this.pool = newPool();
    this.faults = new StoreFaults(files.file().toString(), this::probeSoon);
    this.sync = new DiskSync(this::storeAndSync);
    this.dataSource = new DurableDataSource(() -> pool, sync, faults, true);
    DurableDataSource unsynced = new DurableDataSource(() -> pool, sync, faults, false);
    this.writes = new GroupCommit(unsynced, unsynced::afterCommit);
    this.prober = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "pulse-store-probe");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Opens (creating if needed) the embedded database in {@code stateDir}: refuses an empty or cut
   * file, and undoes a migration that a killed start left half done (see {@link DatabaseFiles}).
   */
  public static Database openEmbedded(Path stateDir) {
    return openEmbedded(stateDir, Optional.empty());
  }

  /** As {@link #openEmbedded(Path)}, naming backups in {@code backupDir} too when it refuses a file. */
  public static Database openEmbedded(Path stateDir, Optional<Path> backupDir) {
    DatabaseFiles files = DatabaseFiles.prepare(stateDir, backupDir);
    Database db = new Database(files);
    try {
      db.ping(); // fail here, with the path named, rather than inside Quartz
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
    return db;
  }

  private JdbcConnectionPool newPool() {
    JdbcConnectionPool p = JdbcConnectionPool.create(url, "pulse", "");
    p.setMaxConnections(DEFAULT_MAX_CONNECTIONS);
    return p;
  }

  /** Applies Pulse's migrations (Quartz's tables and its own). */
  public void migrate() {
    migrateAll(List.of(new Migrations(MIGRATIONS, HISTORY)));
  }

  /** Applies an extension's migrations, tracked in a history table of its own. */
  public void migrate(String location, String historyTable) {
    migrateAll(List.of(new Migrations(location, historyTable)));
  }

  /** Pulse's own migrations, to pass first to {@link #migrateAll}. */
  public static Migrations core() {
    return new Migrations(MIGRATIONS, HISTORY);
  }

  /**
   * Applies every pending migration of {@code sets}, as one step a kill cannot cut in half: H2
   * commits each DDL statement by itself, so before anything is applied the file is copied aside
   * (or, on a first start, marked as being created), and a start that finds the copy (or the mark)
   * restores it (or starts afresh) before trying again. Nothing pending costs no copy.
   */
  public void migrateAll(List<Migrations> sets) {
    List<Migrations> pending = sets.stream().filter(m -> m.pending(dataSource)).toList();
    if (pending.isEmpty()) {
      files.created();
      return;
    }
    boolean snapshot = !files.creating();
    if (snapshot) {
      shutdownPool();
      files.snapshot();
      pool = newPool();
    }
    for (Migrations m : pending) {
      try {
        m.apply(dataSource);
      } catch (RuntimeException e) {
        throw migrationFailed(m, e, snapshot);
      }
    }
    if (snapshot) {
      files.dropSnapshot();
    }
    files.created();
  }

  /**
   * A migration failed: the copy taken before goes back, so the file stays as the previous version
   * left it. A store fault (a full disk) is worth retrying later; anything else needs a person.
   */
  private StoreException migrationFailed(Migrations m, RuntimeException e, boolean snapshot) {
    if (snapshot) {
      shutdownPool();
      files.restoreSnapshot();
      pool = newPool();
    }
    String what = "could not be migrated (" + m.location() + "): " + StoreException.firstLine(e);
    Throwable sql = e;
    while (sql != null && !(sql instanceof SQLException)) {
      sql = sql.getCause();
    }
    if (sql instanceof SQLException s && StoreFaults.classify(s).isPresent()) {
      return new StoreException("the database " + files.file() + " " + what + "; it is unchanged, and the next start tries again", e);
    }
    return files.unrepairable(what, e);
  }

  /** The one data source: every connection syncs before a commit returns and reports store faults. */
  public DataSource dataSource() {
    return dataSource;
  }

  /** Short writes from many threads, committed together: one per database, so groups are large. */
  public Transactions transactions() {
    return writes;
  }

  /** A JDBC URL without credentials, for logs. */
  public String url() {
    return url;
  }

  /** Why the store cannot take writes now, if it cannot: a sentence naming the file and the fix. */
  public Optional<String> fault() {
    return faults.current();
  }

  /** Runs {@code listener} each time the store takes writes again after a fault. */
  public void onRecovered(Runnable listener) {
    recoveryListeners.add(listener);
  }

  /** True if the database answers a trivial query. */
  public boolean ping() {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute("SELECT 1");
      return true;
    } catch (SQLException e) {
      throw new StoreException(describe(e), e);
    }
  }

  /** How many file syncs ran: for /metrics, tests and benchmarks. */
  public long syncs() {
    return sync.syncs();
  }

  /**
   * Stores everything committed and fsyncs. Not {@code CHECKPOINT SYNC}: H2's {@code Database.sync()}
   * holds the database's monitor while it waits for MVStore's store lock, and a store that fails
   * (a full disk) holds that lock while its panic handler waits for the monitor, so the two
   * deadlocked for good. MVStore's own {@code commit()} (blocking, stores what is committed) and
   * {@code sync()} (fsync) take only the store lock. The store is reached through a connection of
   * the sync's own: committers hold theirs while they wait. DiskSync runs one at a time.
   */
  private void storeAndSync() throws SQLException {
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

  private void probeSoon() {
    if (!closed) {
      try {
        prober.schedule(this::probe, PROBE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // closing
      }
    }
  }

  /** While faulted: reopen what H2 closed, then try a real write and its sync. */
  private void probe() {
    if (closed || faults.current().isEmpty()) {
      return;
    }
    try {
      if (!answers()) {
        JdbcConnectionPool old = pool;
        pool = newPool();
        old.dispose();
      }
      try (Connection c = pool.getConnection();
          PreparedStatement ps = c.prepareStatement("UPDATE pulse_store_probe SET probed_at = CURRENT_TIMESTAMP WHERE id = 1")) {
        ps.executeUpdate();
      }
      sync.afterCommit();
      faults.clear();
      for (Runnable r : recoveryListeners) {
        try {
          r.run();
        } catch (RuntimeException e) {
          log.warn("After the store recovered, a listener failed: {}", e.toString());
        }
      }
    } catch (SQLException | RuntimeException e) {
      log.debug("Store still faulted: {}", e.toString());
      probeSoon(); // the same guard as the first probe: none once the database is closing
    }
  }

  private boolean answers() {
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement()) {
      s.execute("SELECT 1");
      return true;
    } catch (SQLException e) {
      return false;
    }
  }

  private String describe(SQLException e) {
    String msg = Optional.ofNullable(e.getMessage()).orElse(e.toString());
    if (msg.contains("already in use") || msg.contains("locked by another process")) {
      return "the database " + files.file() + " is in use by another Pulse process; stop it first"
          + " (commands that need the daemon talk to its API instead)";
    }
    if (e instanceof StoreUnavailableException) {
      return msg;
    }
    return "cannot open the database " + files.file() + ": " + msg.lines().findFirst().orElse(msg);
  }

  private void shutdownPool() {
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement()) {
      s.execute("SHUTDOWN"); // flushes and closes the file cleanly
    } catch (SQLException e) {
      // already closed: nothing to flush
    }
    pool.dispose();
  }

  @Override
  public void close() {
    closed = true;
    prober.shutdownNow();
    shutdownPool();
  }
}
