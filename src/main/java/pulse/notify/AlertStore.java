package pulse.notify;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Rows of {@code alert_sources}, {@code alerts} and {@code alert_silences}; JDBC stays in here. */
final class AlertStore {
  static final int ERROR_MAX = 4000;

  private AlertStore() {}

  static Optional<SourceState> source(Connection c, String source) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT * FROM alert_sources WHERE source = ?")) {
      ps.setString(1, source);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        long open = rs.getLong("open_alert_id");
        Long openId = rs.wasNull() ? null : open;
        return Optional.of(new SourceState(rs.getString("source"), rs.getInt("consecutive_failures"),
            rs.getInt("consecutive_successes"), Jdbc.instant(rs, "failing_since"), Jdbc.instant(rs, "last_failure_at"),
            rs.getString("last_error"), rs.getString("last_trace_id"), Jdbc.instant(rs, "last_event_at"),
            openId));
      }
    }
  }

  static void save(Connection c, SourceState s) throws SQLException {
    Object[] values = {s.failures(), s.successes(), Jdbc.time(s.failingSince()), Jdbc.time(s.lastFailureAt()),
        Jdbc.cut(s.lastError(), ERROR_MAX), s.lastTraceId(), Jdbc.time(s.lastEventAt()), Jdbc.id(s.openAlertId()), s.source()};
    int n = Jdbc.update(c, "UPDATE alert_sources SET consecutive_failures = ?, consecutive_successes = ?, failing_since = ?,"
        + " last_failure_at = ?, last_error = ?, last_trace_id = ?, last_event_at = ?, open_alert_id = ? WHERE source = ?", values);
    if (n == 0) {
      Jdbc.update(c, "INSERT INTO alert_sources (consecutive_failures, consecutive_successes, failing_since, last_failure_at,"
          + " last_error, last_trace_id, last_event_at, open_alert_id, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", values);
    }
  }

  static long open(Connection c, String source, Instant failingSince, Instant openedAt, String error, String traceId,
      int failures, boolean flapping, boolean announced) throws SQLException {
    return Jdbc.insert(c, "INSERT INTO alerts (source, state, failing_since, opened_at, last_error, last_trace_id,"
        + " failure_count, flapping, announced, last_notified_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        source, Alert.OPEN, failingSince, openedAt, Jdbc.cut(error, ERROR_MAX), traceId, failures, flapping, announced,
        announced ? openedAt : Jdbc.NULL_TIME);
  }

  static void update(Connection c, Alert a) throws SQLException {
    Jdbc.update(c, "UPDATE alerts SET state = ?, resolved_at = ?, last_error = ?, last_trace_id = ?, failure_count = ?,"
        + " flapping = ?, announced = ?, last_notified_at = ? WHERE id = ?",
        a.state(), Jdbc.time(a.resolvedAt()), Jdbc.cut(a.lastError(), ERROR_MAX), a.lastTraceId(), a.failureCount(),
        a.flapping(), a.announced(), Jdbc.time(a.lastNotifiedAt()), a.id());
  }

  static Optional<Alert> alert(Connection c, long id) throws SQLException {
    List<Alert> l = alerts(c, "SELECT * FROM alerts WHERE id = ?", id);
    return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
  }

  static List<Alert> open(Connection c) throws SQLException {
    return alerts(c, "SELECT * FROM alerts WHERE state = ? ORDER BY opened_at, id", Alert.OPEN);
  }

  static List<Alert> recentlyResolved(Connection c, int limit) throws SQLException {
    return alerts(c, "SELECT * FROM alerts WHERE state = ? ORDER BY resolved_at DESC, id DESC FETCH FIRST " + limit + " ROWS ONLY",
        Alert.RESOLVED);
  }

  /** Alerts of a source opened at or after {@code since}: how often it flapped lately. */
  static int openedSince(Connection c, String source, Instant since) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM alerts WHERE source = ? AND opened_at >= ?")) {
      Jdbc.bind(ps, source, since);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  private static List<Alert> alerts(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      Jdbc.bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        List<Alert> out = new ArrayList<>();
        while (rs.next()) {
          out.add(new Alert(rs.getLong("id"), rs.getString("source"), rs.getString("state"),
              Jdbc.instant(rs, "failing_since"), Jdbc.instant(rs, "opened_at"), Jdbc.instant(rs, "resolved_at"),
              rs.getString("last_error"), rs.getString("last_trace_id"), rs.getInt("failure_count"),
              rs.getBoolean("flapping"), rs.getBoolean("announced"), Jdbc.instant(rs, "last_notified_at")));
        }
        return out;
      }
    }
  }

  static long addSilence(Connection c, String source, Instant until, String reason, Instant now) throws SQLException {
    return Jdbc.insert(c, "INSERT INTO alert_silences (source, until_at, reason, created_at) VALUES (?, ?, ?, ?)",
        source, until, reason, now);
  }

  /** Silences in force at {@code now}, soonest to end first. */
  static List<Silence> activeSilences(Connection c, Instant now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT * FROM alert_silences WHERE removed_at IS NULL AND until_at > ? ORDER BY until_at, id")) {
      Jdbc.bind(ps, now);
      try (ResultSet rs = ps.executeQuery()) {
        List<Silence> out = new ArrayList<>();
        while (rs.next()) {
          out.add(new Silence(rs.getLong("id"), rs.getString("source"), Jdbc.instant(rs, "until_at"),
              rs.getString("reason"), Jdbc.instant(rs, "created_at")));
        }
        return out;
      }
    }
  }

  static boolean removeSilence(Connection c, long id, Instant now) throws SQLException {
    return Jdbc.update(c, "UPDATE alert_silences SET removed_at = ? WHERE id = ? AND removed_at IS NULL", now, id) == 1;
  }

  static boolean silenced(Connection c, String source, Instant now) throws SQLException {
    return activeSilences(c, now).stream().anyMatch(s -> s.covers(source));
  }
}
