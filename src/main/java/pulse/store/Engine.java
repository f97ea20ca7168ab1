package pulse.store;

import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;
import pulse.api.store.Dialect;

/**
 * What differs between the embedded file and a PostgreSQL server under {@link Database}: how
 * connections are pooled, whether a commit needs Pulse's own sync, how the store is reopened after
 * a fault, and where the tables live.
 */
interface Engine {
  Dialect dialect();

  /** The current pool; {@link #reopen} may replace it. */
  DataSource pool();

  /**
   * True if a commit returns before its data is on the device, so {@link DiskSync} must sync after
   * it (H2); false if the server does that itself before it answers (PostgreSQL's WAL).
   */
  boolean needsSync();

  /** Stores what is committed and syncs it (called only if {@link #needsSync}). */
  void sync() throws SQLException;

  /** After a fault: replace the pool when the old one no longer answers. */
  void reopen();

  /** The file or URL, for messages: never a password. */
  String where();

  /** The schema Pulse's tables live in, where the database has schemas Pulse chose (PostgreSQL). */
  Optional<String> schema();

  /** The embedded file's guards around migrations; empty where DDL is transactional. */
  Optional<DatabaseFiles> files();

  /** Closes for a file copy (the pre-migration snapshot), then opens again. */
  void closePool();

  void openPool();

  /** A sentence for a failure to open or reach the database. */
  StoreOpening describe(SQLException e);

  void close();

  /** The sentence, and whether a person must act (exit 78) rather than wait and retry. */
  record StoreOpening(String message, boolean needsOperator) {}
}
