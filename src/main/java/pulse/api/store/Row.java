package pulse.api.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * One row of a result, read by column name with the kit's rules: instants from {@code TIMESTAMP
 * WITH TIME ZONE} as UTC whatever the JVM's zone, and a SQL NULL as Java {@code null} for the
 * boxed readers (never the 0 that {@link ResultSet#getLong} returns).
 */
public final class Row {
  private final ResultSet rs;

  Row(ResultSet rs) {
    this.rs = rs;
  }

  /** Maps a row to a value. */
  @FunctionalInterface
  public interface Mapper<T> {
    T map(Row row) throws SQLException;
  }

  public String string(String column) throws SQLException {
    return rs.getString(column);
  }

  public String string(int column) throws SQLException {
    return rs.getString(column);
  }

  /** A NOT NULL number column. */
  public long longValue(String column) throws SQLException {
    return rs.getLong(column);
  }

  public long longValue(int column) throws SQLException {
    return rs.getLong(column);
  }

  /** A NOT NULL number column. */
  public int intValue(String column) throws SQLException {
    return rs.getInt(column);
  }

  public Long nullableLong(String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  public Long nullableLong(int column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  public Integer nullableInt(String column) throws SQLException {
    int v = rs.getInt(column);
    return rs.wasNull() ? null : v;
  }

  public Double nullableDouble(int column) throws SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? null : v;
  }

  public boolean bool(String column) throws SQLException {
    return rs.getBoolean(column);
  }

  /** A {@code TIMESTAMP WITH TIME ZONE} column; null if SQL NULL. */
  public Instant instant(String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  /** A {@code TIMESTAMP WITH TIME ZONE} column or expression ({@code MAX(ended_at)}); null if SQL NULL. */
  public Instant instant(int column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }
}
