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
      return Database.open(new DatabaseConfig(Optional.of(PostgresServer.shared().newSchema())), stateDir, Optional.empty());
    }
  };

  /** A new, empty database (not yet migrated); {@code stateDir} holds the embedded file. */
  public abstract Database open(Path stateDir);
}
