package pulse.notify;

import pulse.api.store.Sql;
import pulse.api.store.Text;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** Rows of {@code alert_outbox}, the durable notification queue. */
final class OutboxStore {
  static final int PAYLOAD_MAX = 64000;
  static final int ERROR_MAX = 2000;

  private OutboxStore() {}

  static long enqueue(Sql c, String channel, String lane, String payload, Instant now) throws SQLException {
    return c.insert("INSERT INTO alert_outbox (channel, lane, payload, created_at, attempts, next_attempt_at)"
        + " VALUES (?, ?, ?, ?, 0, ?)", channel, lane, payload, now, now);
  }

  /** Undelivered rows, oldest first. */
  static List<OutboxEntry> pending(Sql c, int limit) throws SQLException {
    return c.query("SELECT * FROM alert_outbox WHERE delivered_at IS NULL AND failed_at IS NULL ORDER BY id FETCH FIRST "
        + limit + " ROWS ONLY", r -> new OutboxEntry(r.longValue("id"), r.string("channel"), r.string("lane"),
        r.string("payload"), r.instant("created_at"), r.intValue("attempts"), r.instant("next_attempt_at"),
        r.string("last_error")));
  }

  static void delivered(Sql c, long id, Instant now) throws SQLException {
    c.update("UPDATE alert_outbox SET delivered_at = ?, attempts = attempts + 1 WHERE id = ?", now, id);
  }

  static void retryLater(Sql c, long id, Instant next, String error) throws SQLException {
    c.update("UPDATE alert_outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?",
        next, Text.head(error, ERROR_MAX), id);
  }

  static void givenUp(Sql c, long id, Instant now, String error) throws SQLException {
    c.update("UPDATE alert_outbox SET attempts = attempts + 1, failed_at = ?, last_error = ? WHERE id = ?",
        now, Text.head(error, ERROR_MAX), id);
  }

  /** Counts for the API: waiting and given-up rows. */
  static int count(Sql c, String where) throws SQLException {
    return c.one("SELECT COUNT(*) FROM alert_outbox WHERE " + where, r -> (int) r.longValue(1)).orElse(0);
  }
}
