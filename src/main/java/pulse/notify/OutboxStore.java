package pulse.notify;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Rows of {@code alert_outbox}, the durable notification queue. */
final class OutboxStore {
  static final int PAYLOAD_MAX = 64000;
  static final int ERROR_MAX = 2000;

  private OutboxStore() {}

  static long enqueue(Connection c, String channel, String lane, String payload, Instant now) throws SQLException {
    return Jdbc.insert(c, "INSERT INTO alert_outbox (channel, lane, payload, created_at, attempts, next_attempt_at)"
        + " VALUES (?, ?, ?, ?, 0, ?)", channel, lane, payload, now, now);
  }

  /** Undelivered rows, oldest first. */
  static List<OutboxEntry> pending(Connection c, int limit) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT * FROM alert_outbox WHERE delivered_at IS NULL AND failed_at IS NULL"
        + " ORDER BY id FETCH FIRST " + limit + " ROWS ONLY")) {
      try (ResultSet rs = ps.executeQuery()) {
        List<OutboxEntry> out = new ArrayList<>();
        while (rs.next()) {
          out.add(new OutboxEntry(rs.getLong("id"), rs.getString("channel"), rs.getString("lane"), rs.getString("payload"),
              Jdbc.instant(rs, "created_at"), rs.getInt("attempts"), Jdbc.instant(rs, "next_attempt_at"),
              rs.getString("last_error")));
        }
        return out;
      }
    }
  }

  static void delivered(Connection c, long id, Instant now) throws SQLException {
    Jdbc.update(c, "UPDATE alert_outbox SET delivered_at = ?, attempts = attempts + 1 WHERE id = ?", now, id);
  }

  static void retryLater(Connection c, long id, Instant next, String error) throws SQLException {
    Jdbc.update(c, "UPDATE alert_outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?",
        next, Jdbc.cut(error, ERROR_MAX), id);
  }

  static void givenUp(Connection c, long id, Instant now, String error) throws SQLException {
    Jdbc.update(c, "UPDATE alert_outbox SET attempts = attempts + 1, failed_at = ?, last_error = ? WHERE id = ?",
        now, Jdbc.cut(error, ERROR_MAX), id);
  }

  /** Counts for the API: waiting and given-up rows. */
  static int count(Connection c, String where) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM alert_outbox WHERE " + where);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
