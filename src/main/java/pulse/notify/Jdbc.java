package pulse.notify;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import javax.sql.DataSource;
import pulse.api.Transactions;

/** Transactions and timestamp helpers for the alert tables. */
final class Jdbc {
  private final DataSource ds;
  private final Transactions shared;

  Jdbc(DataSource ds, Transactions shared) {
    this.ds = ds;
    this.shared = shared;
  }

  @FunctionalInterface
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /** Runs work in one transaction: all of its writes commit together, or none. */
  <T> T tx(Work<T> work) {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try {
        T out = work.run(c);
        c.commit();
        return out;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new AlertStoreException("alert database error: " + e.getMessage(), e);
    }
  }

  /**
   * Like {@link #tx}, for the writes made once per run or check result: committed together with the
   * other writes that arrive at the same moment (a burst of fires), serialized with every other
   * {@code shared} work, and returns once committed.
   */
  <T> T shared(Work<T> work) {
    try {
      return shared.inTransaction(work::run);
    } catch (SQLException e) {
      throw new AlertStoreException("alert database error: " + e.getMessage(), e);
    }
  }

  static void set(PreparedStatement ps, int i, Instant t) throws SQLException {
    if (t == null) {
      ps.setNull(i, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      ps.setObject(i, t.atOffset(ZoneOffset.UTC));
    }
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  static long insert(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
      bind(ps, args);
      ps.executeUpdate();
      try (ResultSet rs = ps.getGeneratedKeys()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  static int update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      return ps.executeUpdate();
    }
  }

  static void bind(PreparedStatement ps, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      Object a = args[i];
      if (a instanceof Instant t) {
        set(ps, i + 1, t);
      } else if (a == NULL_TIME) {
        set(ps, i + 1, null);
      } else if (a == NULL_LONG) {
        ps.setNull(i + 1, Types.BIGINT);
      } else if (a == null) {
        ps.setNull(i + 1, Types.VARCHAR);
      } else {
        ps.setObject(i + 1, a);
      }
    }
  }

  /** A null timestamp argument (plain null binds as text). */
  static final Object NULL_TIME = new Object();

  /** A null number argument (PostgreSQL refuses a text-typed null in a BIGINT column). */
  static final Object NULL_LONG = new Object();

  static Object id(Long n) {
    return n == null ? NULL_LONG : n;
  }

  static Object time(Instant t) {
    return t == null ? NULL_TIME : t;
  }

  /** Cuts text to a column's size. */
  static String cut(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }

  /** The failure of an alert table operation; its message names what failed. */
  static final class AlertStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    AlertStoreException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
