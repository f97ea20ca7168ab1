package pulse.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pulse.api.Transactions;
import pulse.api.store.Dialect;
import pulse.api.store.Store;
import pulse.api.store.StoreException;
import pulse.config.DatabaseConfig;

/**
 * Pulse's database: the embedded H2 file in the state directory (the default) or a PostgreSQL
 * server ({@code PULSE_DATABASE_URL}), pooled, migrated with Flyway, reached by every family
 * through one {@link Store}.
 *
 * <p>Everything reaches it through {@link #dataSource()}, whose connections are durable before a
 * commit returns (the file synced by {@link DurableDataSource}; PostgreSQL's WAL synced by the
 * server) and report store faults ({@link StoreFaults}). After a fault, a probe retries a small
 * write every {@link #PROBE_EVERY} and, once it succeeds, reopens what was closed and tells the
 * listeners given to {@link #onRecovered} (the scheduler resumes).
 */
public final class Database implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Database.class);
  /** The database file is {@code <state dir>/pulse.mv.db}. */
  public static final String FILE_NAME = "pulse";
  /** How often a faulted store tries a write again. */
  static final Duration PROBE_EVERY = Duration.ofSeconds(2);
  /**
   * Where {@code db-backup} writes besides {@code <state dir>/backups}: a refused file names the
   * newest backup found in either.
   */
  public static final String BACKUP_DIR_SETTING = "PULSE_DB_BACKUP_DIR";
  private static final String MIGRATIONS = "classpath:pulse/store/migration";
  private static final String HISTORY = "pulse_schema_history";

  private final Engine engine;
  private final StoreFaults faults;
  private final DiskSync sync;
  private final DurableDataSource dataSource;
  private final GroupCommit writes;
  private final Store store;
  private final List<Runnable> recoveryListeners = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService prober;
  private volatile boolean closed;

  private Database(Engine engine) {
    this.engine = engine;
    this.faults = new StoreFaults(engine.where(), this::probeSoon);
    this.sync = new DiskSync(engine::sync);
    boolean syncs = engine.needsSync();
    this.dataSource = new DurableDataSource(engine::pool, sync, faults, syncs);
    DurableDataSource unsynced = new DurableDataSource(engine::pool, sync, faults, false);
    this.writes = new GroupCommit(unsynced, syncs ? unsynced::afterCommit : () -> {});
    this.store = Store.of(dataSource, writes, engine.dialect());
    this.prober = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "pulse-store-probe");
      t.setDaemon(true);
      return t;
    });
  }

  /** Opens the database {@code config} names: PostgreSQL, or the embedded file in {@code stateDir}. */
  public static Database open(DatabaseConfig config, Path stateDir, Optional<Path> backupDir) {
    return config.postgres().isPresent() ? open(new PostgresEngine(config.postgres().get())) : openEmbedded(stateDir, backupDir);
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
    return open(new EmbeddedEngine(DatabaseFiles.prepare(stateDir, backupDir)));
  }

  private static Database open(Engine engine) {
    Database db = new Database(engine);
    try {
      db.ping(); // fail here, with the file or server named, rather than inside Quartz
      db.checkDurability();
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
    return db;
  }

  /** Applies Pulse's migrations (Quartz's tables and its own). */
  public void migrate() {
    migrateAll(List.of(core()));
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
   * Applies every pending migration of {@code sets}, as one step a kill cannot cut in half. On
   * PostgreSQL each migration is a transaction of its own (DDL included), and Flyway holds an
   * advisory lock, so nodes starting together migrate once. H2 commits each DDL statement by
   * itself, so before anything is applied the file is copied aside (or, on a first start, marked as
   * being created), and a start that finds the copy (or the mark) restores it (or starts afresh)
   * before trying again. Nothing pending costs no copy.
   */
  public void migrateAll(List<Migrations> sets) {
    Optional<String> schema = engine.schema();
    List<Migrations> pending = sets.stream().filter(m -> m.pending(dataSource, schema)).toList();
    Optional<DatabaseFiles> files = engine.files();
    if (pending.isEmpty()) {
      files.ifPresent(DatabaseFiles::created);
      return;
    }
    boolean snapshot = files.isPresent() && !files.get().creating();
    if (snapshot) {
      engine.closePool();
      files.get().snapshot();
      engine.openPool();
    }
    for (Migrations m : pending) {
      try {
        m.apply(dataSource, schema);
      } catch (RuntimeException e) {
        throw migrationFailed(m, e, snapshot);
      }
    }
    if (snapshot) {
      files.get().dropSnapshot();
    }
    files.ifPresent(DatabaseFiles::created);
  }

  /**
   * A migration failed: the copy taken before goes back, so the file stays as the previous version
   * left it. A store fault (a full disk, a server gone) is worth retrying later; anything else
   * needs a person.
   */
  private StoreException migrationFailed(Migrations m, RuntimeException e, boolean snapshot) {
    Optional<DatabaseFiles> files = engine.files();
    if (snapshot) {
      engine.closePool();
      files.get().restoreSnapshot();
      engine.openPool();
    }
    String what = "could not be migrated (" + m.location() + "): " + StoreException.firstLine(e);
    Throwable sql = e;
    while (sql != null && !(sql instanceof SQLException)) {
      sql = sql.getCause();
    }
    if (sql instanceof SQLException s && StoreFaults.classify(s).isPresent()) {
      return new StoreException("the database " + engine.where() + " " + what + "; it is unchanged, and the next start tries again", e);
    }
    if (files.isPresent()) {
      return files.get().unrepairable(what, e);
    }
    return StoreException.forOperator("the database " + engine.where() + " " + what
        + "; every migration that failed was rolled back. If another application's tables are in the way, set "
        + DatabaseConfig.SCHEMA + " to a schema of Pulse's own", e);
  }

  /** The one data source: every connection is durable before a commit returns and reports store faults. */
  public DataSource dataSource() {
    return dataSource;
  }

  /** Short writes from many threads, committed together: one per database, so groups are large. */
  public Transactions transactions() {
    return writes;
  }

  /** The store kit over this database, for every family. */
  public Store store() {
    return store;
  }

  public Dialect dialect() {
    return engine.dialect();
  }

  /** The file or server (without credentials), for logs. */
  public String where() {
    return engine.where();
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
      Engine.StoreOpening o = engine.describe(e);
      throw o.needsOperator() ? StoreException.forOperator(o.message(), e) : new StoreException(o.message(), e);
    }
  }

  /**
   * "Acknowledged means durable" holds on PostgreSQL only with the server's own syncs on. Off (a
   * test box, a tuned server) is the operator's choice, so it is said loudly and not refused.
   */
  private void checkDurability() {
    if (engine.dialect() != Dialect.POSTGRESQL) {
      return;
    }
    for (String setting : List.of("fsync", "synchronous_commit")) {
      try (Connection c = dataSource.getConnection();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SHOW " + setting)) {
        if (rs.next() && rs.getString(1).equalsIgnoreCase("off")) {
          log.warn("PostgreSQL at {} runs with {}=off: a commit it acknowledged can be lost in a crash of the server,"
              + " and so can what Pulse acknowledged", engine.where(), setting);
        }
      } catch (SQLException e) {
        log.debug("Could not read {}: {}", setting, e.toString());
      }
    }
  }

  /** How many file syncs ran: for /metrics, tests and benchmarks. Zero on PostgreSQL, which syncs itself. */
  public long syncs() {
    return sync.syncs();
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

  /** While faulted: reopen what was closed, then try a real write and its sync. */
  private void probe() {
    if (closed || faults.current().isEmpty()) {
      return;
    }
    try {
      if (!answers()) {
        engine.reopen();
      }
      try (Connection c = engine.pool().getConnection();
          PreparedStatement ps = c.prepareStatement("UPDATE pulse_store_probe SET probed_at = CURRENT_TIMESTAMP WHERE id = 1")) {
        ps.executeUpdate();
      }
      if (engine.needsSync()) {
        sync.afterCommit();
      }
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
    try (Connection c = engine.pool().getConnection();
        Statement s = c.createStatement()) {
      s.execute("SELECT 1");
      return true;
    } catch (SQLException e) {
      return false;
    }
  }

  @Override
  public void close() {
    closed = true;
    prober.shutdownNow();
    engine.close();
  }
}
