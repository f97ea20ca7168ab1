package pulse.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import pulse.api.Transactions;

/**
 * {@link RunHistory} in SQL that both H2 and PostgreSQL run. The start and end of runs are written by
 * group commit: the runs of a burst of fires share commits, and each call still returns only once its
 * row is committed.
 */
public final class JdbcRunHistory implements RunHistory {
  /** Bounds that match the column sizes; longer text is cut, keeping its end for output. */
  public static final int MAX_ERROR_MESSAGE = 4000;
  public static final int MAX_OUTPUT_TAIL = 16000;
  private static final int MAX_SUMMARY = 8000;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String COLUMNS =
      "id, job_id, trigger_kind, scheduled_at, started_at, ended_at, outcome, error_type, error_message,"
          + " output_tail, summary, trace_id";

  private final DataSource ds;
  private final Transactions writes;

  /** Reads on the database's pool; writes through its group commit, shared with its other writers. */
  public JdbcRunHistory(Database db) {
    this.ds = db.dataSource();
    this.writes = db.transactions();
  }

  @Override
  public long begin(NewRun run) {
    String sql =
        "INSERT INTO pulse_runs (job_id, trigger_kind, scheduled_at, started_at, outcome, trace_id)"
            + " VALUES (?, ?, ?, ?, ?, ?)";
    try {
      return writes.inTransaction(c -> {
        try (PreparedStatement ps = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
          ps.setString(1, run.jobId());
          ps.setString(2, run.trigger());
          ps.setTimestamp(3, ts(run.scheduledAt()));
          ps.setTimestamp(4, ts(run.startedAt()));
          ps.setString(5, Outcome.RUNNING.label());
          ps.setString(6, run.traceId());
          ps.executeUpdate();
          try (ResultSet keys = ps.getGeneratedKeys()) {
            keys.next();
            return keys.getLong(1);
          }
        }
      });
    } catch (SQLException e) {
      throw fail("record the start of a run of " + run.jobId(), e);
    }
  }

  @Override
  public void finish(long runId, RunResult r) {
    String sql =
        "UPDATE pulse_runs SET ended_at = ?, outcome = ?, error_type = ?, error_message = ?, output_tail = ?,"
            + " summary = ?, started_at = COALESCE(?, started_at), trace_id = COALESCE(?, trace_id) WHERE id = ?";
    String summary = r.summary().isEmpty() ? null : head(toJson(r.summary()), MAX_SUMMARY);
    try {
      writes.inTransaction(c -> {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          ps.setTimestamp(1, ts(r.endedAt()));
          ps.setString(2, r.outcome().label());
          ps.setString(3, head(r.errorType(), 300));
          ps.setString(4, head(r.errorMessage(), MAX_ERROR_MESSAGE));
          ps.setString(5, tail(r.outputTail(), MAX_OUTPUT_TAIL));
          ps.setString(6, summary);
          ps.setTimestamp(7, r.startedAt() == null ? null : ts(r.startedAt()));
          ps.setString(8, r.traceId());
          ps.setLong(9, runId);
          return ps.executeUpdate();
        }
      });
    } catch (SQLException e) {
      throw fail("record the end of run " + runId, e);
    }
  }

  @Override
  public void discard(long runId) {
    try {
      writes.inTransaction(c -> {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM pulse_runs WHERE id = ? AND outcome = ?")) {
          ps.setLong(1, runId);
          ps.setString(2, Outcome.RUNNING.label());
          return ps.executeUpdate();
        }
      });
    } catch (SQLException e) {
      throw fail("remove the skipped run " + runId, e);
    }
  }

  @Override
  public Optional<RunRecord> find(long runId) {
    List<RunRecord> rows = query("SELECT " + COLUMNS + " FROM pulse_runs WHERE id = ?", List.of(runId));
    return rows.stream().findFirst();
  }

  @Override
  public List<RunRecord> recent(RunQuery q) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM pulse_runs WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    if (q.jobId() != null) {
      sql.append(" AND job_id = ?");
      args.add(q.jobId());
    }
    if (q.failedOnly()) {
      sql.append(" AND outcome IN (");
      List<String> failures = new ArrayList<>();
      for (Outcome o : Outcome.values()) {
        if (o.isFailure()) {
          failures.add("?");
          args.add(o.label());
        }
      }
      sql.append(String.join(", ", failures)).append(')');
    }
    sql.append(" ORDER BY started_at DESC, id DESC LIMIT ").append(q.limit());
    return query(sql.toString(), args);
  }

  @Override
  public Map<String, RunRecord> lastFinishedByJob() {
    String sql =
        "SELECT " + COLUMNS + " FROM pulse_runs r WHERE id = (SELECT MAX(id) FROM pulse_runs x"
            + " WHERE x.job_id = r.job_id AND x.outcome <> ?)";
    Map<String, RunRecord> out = new HashMap<>();
    for (RunRecord r : query(sql, List.of(Outcome.RUNNING.label()))) {
      out.put(r.jobId(), r);
    }
    return out;
  }

  @Override
  public Map<String, Instant> lastSuccessByJob() {
    String sql = "SELECT job_id, MAX(ended_at) FROM pulse_runs WHERE outcome IN (?, ?) GROUP BY job_id";
    Map<String, Instant> out = new HashMap<>();
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, Outcome.SUCCESS.label());
      ps.setString(2, Outcome.PARTIAL.label());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getTimestamp(2).toInstant());
        }
      }
      return out;
    } catch (SQLException e) {
      throw fail("read the last successes", e);
    }
  }

  @Override
  public int interruptAbandoned(Instant endedAt, String message) {
    return update(
        "UPDATE pulse_runs SET outcome = ?, ended_at = ?, error_type = ?, error_message = ? WHERE outcome = ?",
        List.of(Outcome.INTERRUPTED.label(), ts(endedAt), "DaemonStopped", message, Outcome.RUNNING.label()));
  }

  @Override
  public int deleteStartedBefore(Instant cutoff) {
    return update(
        "DELETE FROM pulse_runs WHERE started_at < ? AND outcome <> ?",
        List.of(ts(cutoff), Outcome.RUNNING.label()));
  }

  private int update(String sql, List<Object> args) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw fail("update the run history", e);
    }
  }

  private List<RunRecord> query(String sql, List<Object> args) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      List<RunRecord> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(row(rs));
        }
      }
      return out;
    } catch (SQLException e) {
      throw fail("read the run history", e);
    }
  }

  private static void bind(PreparedStatement ps, List<Object> args) throws SQLException {
    for (int i = 0; i < args.size(); i++) {
      ps.setObject(i + 1, args.get(i));
    }
  }

  private static RunRecord row(ResultSet rs) throws SQLException {
    Timestamp ended = rs.getTimestamp("ended_at");
    return new RunRecord(
        rs.getLong("id"),
        rs.getString("job_id"),
        rs.getString("trigger_kind"),
        rs.getTimestamp("scheduled_at").toInstant(),
        rs.getTimestamp("started_at").toInstant(),
        ended == null ? null : ended.toInstant(),
        Outcome.fromLabel(rs.getString("outcome")),
        rs.getString("error_type"),
        rs.getString("error_message"),
        rs.getString("output_tail"),
        fromJson(rs.getString("summary")),
        rs.getString("trace_id"));
  }

  private static String toJson(Map<String, Object> m) {
    try {
      return JSON.writeValueAsString(m);
    } catch (JsonProcessingException e) {
      return "{}"; // summary values are strings, numbers and booleans: cannot happen
    }
  }

  private static Map<String, Object> fromJson(String s) {
    if (s == null) {
      return Map.of();
    }
    try {
      return JSON.readValue(s, new TypeReference<Map<String, Object>>() {});
    } catch (JsonProcessingException e) {
      return Map.of(); // a summary cut at MAX_SUMMARY is not worth failing a listing for
    }
  }

  static String head(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }

  static String tail(String s, int max) {
    return s == null || s.length() <= max ? s : "…" + s.substring(s.length() - max + 1);
  }

  private static StoreException fail(String what, SQLException e) {
    return new StoreException("could not " + what + ": " + e.getMessage(), e);
  }

  /** Truncated, not rounded, to the column's microseconds: the stored time is never later than the real one. */
  private static Timestamp ts(java.time.Instant t) {
    return Timestamp.from(t.truncatedTo(java.time.temporal.ChronoUnit.MICROS));
  }
}
