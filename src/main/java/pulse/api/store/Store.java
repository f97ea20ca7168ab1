package pulse.api.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import pulse.api.Transactions;

/**
 * Pulse's database as every family sees it: statements on a pooled connection of their own, a
 * transaction on one connection, or a short write in the daemon's group commit. Each failure is a
 * {@link StoreException} naming the table and the fix. Every commit made through the daemon's store
 * is on disk before it returns (the embedded file is synced; PostgreSQL syncs its own WAL), so a
 * caller may acknowledge what a method here returned.
 */
public final class Store {
  private final DataSource ds;
  private final Transactions grouped;
  private final Dialect dialect;

  private Store(DataSource ds, Transactions grouped, Dialect dialect) {
    this.ds = ds;
    this.grouped = grouped;
    this.dialect = dialect;
  }

  /** A store over {@code ds}; {@code grouped} is the daemon's group commit on the same database. */
  public static Store of(DataSource ds, Transactions grouped, Dialect dialect) {
    return new Store(ds, grouped, dialect);
  }

  /** A store over {@code ds} alone, its group commit a plain transaction per work (tools, tests). */
  public static Store of(DataSource ds) {
    Dialect d = Dialect.of(ds);
    Store[] self = new Store[1];
    self[0] = new Store(ds, new Transactions() {
      @Override
      public <T> T inTransaction(Work<T> work) throws SQLException {
        return self[0].transaction(sql -> work.run(sql.connection()));
      }
    }, d);
    return self[0];
  }

  public Dialect dialect() {
    return dialect;
  }

  /** The data source, for a library that wants one (Flyway, Quartz); families use the methods here. */
  public DataSource dataSource() {
    return ds;
  }

  /** Work on one connection in one transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Sql sql) throws SQLException;
  }

  public <T> List<T> query(String sql, Row.Mapper<T> mapper, Object... args) {
    return auto(sql, s -> s.query(sql, mapper, args));
  }

  public <T> Optional<T> one(String sql, Row.Mapper<T> mapper, Object... args) {
    return auto(sql, s -> s.one(sql, mapper, args));
  }

  /** Runs one statement in auto-commit mode; the number of rows changed, committed and synced. */
  public int update(String sql, Object... args) {
    return auto(sql, s -> s.update(sql, args));
  }

  /** Inserts one row in auto-commit mode and returns its generated {@code id}. */
  public long insert(String sql, Object... args) {
    return auto(sql, s -> s.insert(sql, args));
  }

  /**
   * Runs {@code work} in one transaction on a connection of its own: all of its writes commit
   * together, or none. {@code what} ("claim due pulses") goes into the error message.
   */
  public <T> T inTransaction(String what, Work<T> work) {
    try {
      return transaction(work);
    } catch (SQLException e) {
      throw StoreException.during(what, e);
    }
  }

  /**
   * Runs {@code work} in the daemon's group commit: committed together with the other short writes
   * of the same moment (a burst of fires, concurrent API requests), and returns once committed. The
   * rules of {@link Transactions.Work} apply: milliseconds, no commit of its own.
   */
  public <T> T grouped(String what, Work<T> work) {
    try {
      return grouped.inTransaction(c -> work.run(new Sql(c, dialect)));
    } catch (SQLException e) {
      throw StoreException.during(what, e);
    }
  }

  private <T> T transaction(Work<T> work) throws SQLException {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try {
        T out = work.run(new Sql(c, dialect));
        c.commit();
        return out;
      } catch (SQLException | RuntimeException | Error e) {
        rollbackQuietly(c, e);
        throw e;
      }
    } // both pools (H2's, HikariCP) give the connection back in auto-commit mode: no extra commit here
  }

  private <T> T auto(String sql, Work<T> work) {
    try (Connection c = ds.getConnection()) {
      return work.run(new Sql(c, dialect));
    } catch (SQLException e) {
      throw StoreException.statement(sql, e);
    }
  }

  private static void rollbackQuietly(Connection c, Throwable cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e); // the connection is broken; the pool drops it
    }
  }
}
