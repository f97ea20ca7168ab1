package pulse.notify;

import pulse.api.store.Sql;
import pulse.api.store.Text;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Rows of {@code alert_sources}, {@code alerts} and {@code alert_silences}; JDBC stays in here. */
final class AlertStore {
  static final int ERROR_MAX = 4000;

  private AlertStore() {}

  static Optional<SourceState> source(Sql c, String source) throws SQLException {
    return c.one("SELECT * FROM alert_sources WHERE source = ?", r -> new SourceState(r.string("source"),
        r.intValue("consecutive_failures"), r.intValue("consecutive_successes"), r.instant("failing_since"),
        r.instant("last_failure_at"), r.string("last_error"), r.string("last_trace_id"), r.instant("last_event_at"),
        r.nullableLong("open_alert_id")), source);
  }

  /** One upsert, atomic against a concurrent first event of the same source (another node's). */
  static void save(Sql c, SourceState s) throws SQLException {
    c.update(c.dialect().upsert("alert_sources", List.of("source"), List.of("source", "consecutive_failures",
            "consecutive_successes", "failing_since", "last_failure_at", "last_error", "last_trace_id", "last_event_at",
            "open_alert_id")),
        s.source(), s.failures(), s.successes(), s.failingSince(), s.lastFailureAt(), Text.head(s.lastError(), ERROR_MAX),
        s.lastTraceId(), s.lastEventAt(), s.openAlertId());
  }

  static long open(Sql c, String source, Instant failingSince, Instant openedAt, String error, String traceId,
      int failures, boolean flapping, boolean announced) throws SQLException {
    return c.insert("INSERT INTO alerts (source, state, failing_since, opened_at, last_error, last_trace_id,"
        + " failure_count, flapping, announced, last_notified_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        source, Alert.OPEN, failingSince, openedAt, Text.head(error, ERROR_MAX), traceId, failures, flapping, announced,
        announced ? openedAt : null);
  }

  static void update(Sql c, Alert a) throws SQLException {
    c.update("UPDATE alerts SET state = ?, resolved_at = ?, last_error = ?, last_trace_id = ?, failure_count = ?,"
        + " flapping = ?, announced = ?, last_notified_at = ? WHERE id = ?",
        a.state(), a.resolvedAt(), Text.head(a.lastError(), ERROR_MAX), a.lastTraceId(), a.failureCount(),
        a.flapping(), a.announced(), a.lastNotifiedAt(), a.id());
  }

  static Optional<Alert> alert(Sql c, long id) throws SQLException {
    List<Alert> l = alerts(c, "SELECT * FROM alerts WHERE id = ?", id);
    return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
  }

  static List<Alert> open(Sql c) throws SQLException {
    return alerts(c, "SELECT * FROM alerts WHERE state = ? ORDER BY opened_at, id", Alert.OPEN);
  }

  static List<Alert> recentlyResolved(Sql c, int limit) throws SQLException {
    return alerts(c, "SELECT * FROM alerts WHERE state = ? ORDER BY resolved_at DESC, id DESC FETCH FIRST " + limit + " ROWS ONLY",
        Alert.RESOLVED);
  }

  /** Alerts of a source opened at or after {@code since}: how often it flapped lately. */
  static int openedSince(Sql c, String source, Instant since) throws SQLException {
    return c.one("SELECT COUNT(*) FROM alerts WHERE source = ? AND opened_at >= ?", r -> (int) r.longValue(1), source, since)
        .orElse(0);
  }

  private static List<Alert> alerts(Sql c, String sql, Object... args) throws SQLException {
    return c.query(sql, r -> new Alert(r.longValue("id"), r.string("source"), r.string("state"),
        r.instant("failing_since"), r.instant("opened_at"), r.instant("resolved_at"), r.string("last_error"),
        r.string("last_trace_id"), r.intValue("failure_count"), r.bool("flapping"), r.bool("announced"),
        r.instant("last_notified_at")), args);
  }

  static long addSilence(Sql c, String source, Instant until, String reason, Instant now) throws SQLException {
    return c.insert("INSERT INTO alert_silences (source, until_at, reason, created_at) VALUES (?, ?, ?, ?)",
        source, until, reason, now);
  }

  /** Silences in force at {@code now}, soonest to end first. */
  static List<Silence> activeSilences(Sql c, Instant now) throws SQLException {
    return c.query("SELECT * FROM alert_silences WHERE removed_at IS NULL AND until_at > ? ORDER BY until_at, id",
        r -> new Silence(r.longValue("id"), r.string("source"), r.instant("until_at"), r.string("reason"), r.instant("created_at")),
        now);
  }

  static boolean removeSilence(Sql c, long id, Instant now) throws SQLException {
    return c.update("UPDATE alert_silences SET removed_at = ? WHERE id = ? AND removed_at IS NULL", now, id) == 1;
  }

  static boolean silenced(Sql c, String source, Instant now) throws SQLException {
    return activeSilences(c, now).stream().anyMatch(s -> s.covers(source));
  }
}
