package pulse.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;
import pulse.api.Transactions;

/**
 * Pulse's database: an embedded H2 file in the state directory, pooled, migrated with Flyway. A
 * PostgreSQL backend will open a pooled PostgreSQL DataSource here instead; the schema history and
 * the repositories above stay the same.
 */
public final class Database implements AutoCloseable {
  /** The database file is {@code <state dir>/pulse.mv.db}. */
  public static final String FILE_NAME = "pulse";
  public static final int DEFAULT_MAX_CONNECTIONS = 32;
  private static final String MIGRATIONS = "classpath:pulse/store/migration";

  private final JdbcConnectionPool pool;
  private final String url;
  private final GroupCommit writes;

  private Database(JdbcConnectionPool pool, String url) {
    this.pool = pool;
    this.url = url;
    this.writes = new GroupCommit(pool);
  }

  /**
   * Opens (creating if needed) the embedded database.
   *
   * <p>WRITE_DELAY=0: H2 otherwise writes committed changes to the file up to 500 ms later, and a
   * kill -9 inside that window loses them; Pulse promises that what it acknowledged survives.
   */
  public static Database openEmbedded(Path stateDir) {
    try {
      Files.createDirectories(stateDir);
    } catch (IOException e) {
      throw new StoreException(
          "cannot create state directory " + stateDir + " (" + e.getMessage() + "); set PULSE_STATE_DIR to a writable directory", e);
    }
    // async: H2's default file system closes the database for every thread when one thread is
    // interrupted during file I/O (h2database#227), and the runner interrupts runs on timeout and
    // shutdown. The async file system survives that; same pwrite per commit, so the same durability.
    String url =
        "jdbc:h2:async:" + stateDir.resolve(FILE_NAME) + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000;QUERY_CACHE_SIZE=128";
    JdbcConnectionPool pool = JdbcConnectionPool.create(url, "pulse", "");
    pool.setMaxConnections(DEFAULT_MAX_CONNECTIONS);
    Database db = new Database(pool, url);
    db.ping(); // fail here, with the path named, rather than inside Quartz
    return db;
  }

  /** Applies Pulse's migrations (Quartz's tables and its own). */
  public void migrate() {
    migrate(MIGRATIONS, "pulse_schema_history");
  }

  /** Applies an extension's migrations, tracked in a history table of its own. */
  public void migrate(String location, String historyTable) {
    Flyway.configure(Database.class.getClassLoader())
        .dataSource(pool)
        .locations(location)
        .table(historyTable)
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .load()
        .migrate();
  }

  public DataSource dataSource() {
    return pool;
  }

  /** Short writes from many threads, committed together: one per database, so groups are large. */
  public Transactions transactions() {
    return writes;
  }

  /** A JDBC URL without credentials, for logs. */
  public String url() {
    return url;
  }

  /** True if the database answers a trivial query. */
  public boolean ping() {
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement()) {
      s.execute("SELECT 1");
      return true;
    } catch (SQLException e) {
      throw new StoreException(describe(e), e);
    }
  }

  private String describe(SQLException e) {
    String msg = Optional.ofNullable(e.getMessage()).orElse(e.toString());
    if (msg.contains("already in use") || msg.contains("locked by another process")) {
      return "the database " + url.split(";")[0] + " is in use by another Pulse process; stop it first"
          + " (commands that need the daemon talk to its API instead)";
    }
    return "cannot open the database " + url.split(";")[0] + ": " + msg.lines().findFirst().orElse(msg);
  }

  @Override
  public void close() {
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement()) {
      s.execute("SHUTDOWN"); // flushes and closes the file cleanly
    } catch (SQLException e) {
      // already closed: nothing to flush
    }
    pool.dispose();
  }
}
