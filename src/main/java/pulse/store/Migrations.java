package pulse.store;

import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;

/**
 * One set of Flyway migrations: a location, the history table that tracks it, and the class loader
 * that can read it (a plugin's migrations live in the plugin's jar).
 */
public record Migrations(String location, String historyTable, ClassLoader loader) {
  public Migrations(String location, String historyTable) {
    this(location, historyTable, Database.class.getClassLoader());
  }

  /** On PostgreSQL, {@code schema} holds the tables and the history; Flyway creates it if missing. */
  private Flyway flyway(DataSource ds, Optional<String> schema) {
    var c = Flyway.configure(loader)
        .dataSource(ds)
        .locations(location)
        .table(historyTable)
        .baselineOnMigrate(true)
        .baselineVersion("0");
    schema.ifPresent(s -> c.schemas(s).defaultSchema(s));
    return c.load();
  }

  /** True if something is to be applied (or a failed migration is on record, for migrate to report). */
  boolean pending(DataSource ds, Optional<String> schema) {
    var info = flyway(ds, schema).info();
    if (info.pending().length > 0) {
      return true;
    }
    for (MigrationInfo m : info.all()) {
      if (m.getState() == MigrationState.FAILED) {
        return true;
      }
    }
    return false;
  }

  void apply(DataSource ds, Optional<String> schema) {
    flyway(ds, schema).migrate();
  }
}
