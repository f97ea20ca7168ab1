package pulse.api.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Statements on a connection that is already in a transaction (inside {@link Store#inTransaction}
 * or the daemon's group commit): the same operations as {@link Store}, which throw the {@link
 * SQLException} so the transaction around them rolls back. Binding follows the kit's rules (see
 * the package documentation).
 */
public final class Sql {
  private final Connection c;
  private final Dialect dialect;

  Sql(Connection c, Dialect dialect) {
    this.c = c;
    this.dialect = dialect;
  }

  /** Statements on {@code c}, which the caller owns (commit, close). */
  public static Sql on(Connection c) throws SQLException {
    return new Sql(c, Dialect.of(c));
  }

  public Dialect dialect() {
    return dialect;
  }

  /** The connection, for what the kit does not cover; the caller must not commit or close it. */
  public Connection connection() {
    return c;
  }

  public <T> List<T> query(String sql, Row.Mapper<T> mapper, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      List<T> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        Row row = new Row(rs);
        while (rs.next()) {
          out.add(mapper.map(row));
        }
      }
      return out;
    } catch (SQLException e) {
      throw Failed.of(sql, e);
    }
  }

  /** The first row's value, if there is a row. */
  public <T> Optional<T> one(String sql, Row.Mapper<T> mapper, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      ps.setMaxRows(1);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.ofNullable(mapper.map(new Row(rs))) : Optional.empty();
      }
    } catch (SQLException e) {
      throw Failed.of(sql, e);
    }
  }

  /** The number of rows changed. */
  public int update(String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw Failed.of(sql, e);
    }
  }

  /** Inserts one row and returns its generated id (an identity column named {@code id}). */
  public long insert(String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql, new String[] {"id"})) {
      bind(ps, args);
      ps.executeUpdate();
      try (ResultSet keys = ps.getGeneratedKeys()) {
        if (!keys.next()) {
          throw new SQLException("the insert returned no generated id", "02000");
        }
        return keys.getLong(1);
      }
    } catch (SQLException e) {
      throw Failed.of(sql, e);
    }
  }

  /** Runs {@code sql} once per argument list, as one batch; the changed row count of each. */
  public int[] batch(String sql, List<Object[]> argLists) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (Object[] args : argLists) {
        bind(ps, args);
        ps.addBatch();
      }
      return ps.executeBatch();
    } catch (SQLException e) {
      throw Failed.of(sql, e);
    }
  }

  /** Binds by the kit's rules. */
  static void bind(PreparedStatement ps, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      Object a = args[i];
      if (a == null) {
        ps.setNull(i + 1, Types.NULL); // untyped: both databases infer the column's type
      } else if (a instanceof Instant t) {
        ps.setObject(i + 1, time(t));
      } else if (a instanceof Enum<?> e) {
        throw new IllegalArgumentException("bind the label of " + e + ", not the enum: its name is not a stored format");
      } else {
        ps.setObject(i + 1, a);
      }
    }
  }

  /** The stored form of an instant: UTC, truncated to the microseconds both databases keep. */
  static java.time.OffsetDateTime time(Instant t) {
    return t.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
  }

  /**
   * A statement's failure, carrying the statement so the {@link StoreException} made of it names
   * the table. Keeps the cause's SQLSTATE and vendor code, so a caller can still tell a duplicate
   * key ({@link Dialect#isDuplicateKey}) from anything else.
   */
  static final class Failed extends SQLException {
    private static final long serialVersionUID = 1L;
    final String sql;

    private Failed(String sql, SQLException cause) {
      super(cause.getMessage(), cause.getSQLState(), cause.getErrorCode(), cause);
      this.sql = sql;
    }

    static Failed of(String sql, SQLException e) {
      return e instanceof Failed f ? f : new Failed(sql, e);
    }
  }
}
