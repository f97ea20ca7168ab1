package pulse.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;
import pulse.api.store.Dialect;
import pulse.config.DatabaseConfig;

/**
 * A PostgreSQL server: HikariCP's pool, Pulse's tables in their own schema. PostgreSQL syncs its
 * WAL before a commit returns (with {@code fsync} and {@code synchronous_commit} on, its defaults,
 * which {@link Database} checks at start), so Pulse adds no sync of its own.
 */
final class PostgresEngine implements Engine {
  /** How long a caller waits for a connection before the store counts as unreachable. */
  static final long CONNECT_TIMEOUT_MS = 5_000;
  private final DatabaseConfig.Postgres config;
  private volatile HikariDataSource pool;

  PostgresEngine(DatabaseConfig.Postgres config) {
    this.config = config;
    openPool();
  }

  @Override
  public Dialect dialect() {
    return Dialect.POSTGRESQL;
  }

  @Override
  public DataSource pool() {
    return pool;
  }

  @Override
  public boolean needsSync() {
    return false;
  }

  @Override
  public void sync() {
    // PostgreSQL synced its WAL before the commit returned
  }

  @Override
  public void reopen() {
    // HikariCP replaces broken connections by itself; a server back up is simply reached again
  }

  @Override
  public String where() {
    return config.jdbcUrl() + " (schema " + config.schema() + ")";
  }

  @Override
  public Optional<String> schema() {
    return Optional.of(config.schema());
  }

  @Override
  public Optional<DatabaseFiles> files() {
    return Optional.empty(); // each migration runs in a transaction: a killed start leaves nothing half done
  }

  @Override
  public void closePool() {
    pool.close();
  }

  @Override
  public void openPool() {
    HikariConfig h = new HikariConfig();
    h.setPoolName("pulse-db");
    h.setJdbcUrl(config.jdbcUrl());
    h.setUsername(config.user());
    config.password().ifPresent(h::setPassword);
    h.setSchema(config.schema()); // search_path: unqualified names (Quartz's, every family's) find Pulse's tables
    h.setMaximumPoolSize(config.poolSize());
    h.setMinimumIdle(Math.min(2, config.poolSize()));
    h.setConnectionTimeout(CONNECT_TIMEOUT_MS);
    h.setInitializationFailTimeout(-1); // open lazily: Database.ping() reports the failure in Pulse's words
    h.addDataSourceProperty("ApplicationName", "pulse");
    h.addDataSourceProperty("connectTimeout", "5");
    h.addDataSourceProperty("tcpKeepAlive", "true");
    pool = new HikariDataSource(h);
  }

  @Override
  public StoreOpening describe(SQLException e) {
    SQLException root = e;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && s.getSQLState() != null) {
        root = s;
      }
    }
    String state = root.getSQLState() == null ? "" : root.getSQLState();
    String line = pulse.api.store.StoreException.firstLine(root);
    String at = "PostgreSQL at " + config.jdbcUrl();
    return switch (state) {
      case "28P01", "28000" -> new StoreOpening(at + " refused the login of " + config.user() + " (" + line
          + "); check " + DatabaseConfig.USER + " and " + DatabaseConfig.PASSWORD + " or " + DatabaseConfig.PASSWORD_FILE, true);
      case "3D000" -> new StoreOpening(at + " has no such database (" + line + "); create it (createdb) or fix "
          + DatabaseConfig.URL, true);
      case "42501" -> new StoreOpening(at + ": the role " + config.user() + " may not create or use the schema "
          + config.schema() + " (" + line + "); GRANT CREATE ON DATABASE to it, or create the schema for it", true);
      default -> state.startsWith("08") || state.startsWith("57P")
          ? new StoreOpening(at + " cannot be reached (" + line + "); check that it runs and that "
              + DatabaseConfig.URL + " points at it (Pulse is restarted and tries again)", false)
          : new StoreOpening(at + ": " + line, false);
    };
  }

  @Override
  public void close() {
    pool.close();
  }
}
