package pulse.testing;

import java.nio.file.Path;
import java.util.Optional;
import pulse.config.DatabaseConfig;
import pulse.store.Database;

/**
 * The two databases every store test runs on, as the parameter of a {@code @ParameterizedClass}
 * (db-scheduler's compatibility-suite shape: one test body, one run per database). PostgreSQL is a
 * real server ({@link PostgresServer}), each opened database a schema of its own.
 */
public enum StoreBackend {
  H2 {
    @Override
    public Database open(Path stateDir) {
      return Database.openEmbedded(stateDir);
    }
  },
  POSTGRESQL {
    @Override
    public Database open(Path stateDir) {
      return Database.open(new DatabaseConfig(Optional.of(schemaOf(stateDir))), stateDir, Optional.empty());
    }
  };

  /**
   * The database of {@code stateDir}: new and empty (not yet migrated) the first time, the same one
   * when opened again (a restart). The embedded file lives in {@code stateDir}; a PostgreSQL schema
   * is remembered per directory.
   */
  public abstract Database open(Path stateDir);

  private static final java.util.Map<Path, DatabaseConfig.Postgres> SCHEMAS = new java.util.concurrent.ConcurrentHashMap<>();

  private static DatabaseConfig.Postgres schemaOf(Path stateDir) {
    return SCHEMAS.computeIfAbsent(stateDir.toAbsolutePath().normalize(), d -> PostgresServer.shared().newSchema());
  }
}
