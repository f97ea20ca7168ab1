package pulse.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import pulse.api.store.Row;
import pulse.api.store.Store;
import pulse.api.store.Text;

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

  private final Store store;

  /** Reads on the database's pool; writes through its group commit, shared with its other writers. */
  public JdbcRunHistory(Database db) {
    this.store = db.store();
  }

  @Override
  public long begin(NewRun run) {
    return store.grouped("record the start of a run of " + run.jobId(), sql -> sql.insert(
        "INSERT INTO pulse_runs (job_id, trigger_kind, scheduled_at, started_at, outcome, trace_id) VALUES (?, ?, ?, ?, ?, ?)",
        run.jobId(), run.trigger(), run.scheduledAt(), run.startedAt(), Outcome.RUNNING.label(), run.traceId()));
  }

  @Override
  public void finish(long runId, RunResult r) {
    String summary = r.summary().isEmpty() ? null : Text.head(toJson(r.summary()), MAX_SUMMARY);
    store.grouped("record the end of run " + runId, sql -> sql.update(
        "UPDATE pulse_runs SET ended_at = ?, outcome = ?, error_type = ?, error_message = ?, output_tail = ?,"
            + " summary = ?, started_at = COALESCE(?, started_at), trace_id = COALESCE(?, trace_id) WHERE id = ?",
        r.endedAt(), r.outcome().label(), Text.head(r.errorType(), 300), Text.head(r.errorMessage(), MAX_ERROR_MESSAGE),
        Text.tail(r.outputTail(), MAX_OUTPUT_TAIL), summary, r.startedAt(), r.traceId(), runId));
  }

  @Override
  public void discard(long runId) {
    store.grouped("remove the skipped run " + runId,
        sql -> sql.update("DELETE FROM pulse_runs WHERE id = ? AND outcome = ?", runId, Outcome.RUNNING.label()));
  }

  @Override
  public Optional<RunRecord> find(long runId) {
    return store.one("SELECT " + COLUMNS + " FROM pulse_runs WHERE id = ?", JdbcRunHistory::row, runId);
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
    sql.append(" ORDER BY started_at DESC, id DESC FETCH FIRST ").append(q.limit()).append(" ROWS ONLY");
    return store.query(sql.toString(), JdbcRunHistory::row, args.toArray());
  }

  @Override
  public Map<String, RunRecord> lastFinishedByJob() {
    String sql =
        "SELECT " + COLUMNS + " FROM pulse_runs r WHERE id = (SELECT MAX(id) FROM pulse_runs x"
            + " WHERE x.job_id = r.job_id AND x.outcome <> ?)";
    Map<String, RunRecord> out = new HashMap<>();
    for (RunRecord r : store.query(sql, JdbcRunHistory::row, Outcome.RUNNING.label())) {
      out.put(r.jobId(), r);
    }
    return out;
  }

  @Override
  public Map<String, Instant> lastSuccessByJob() {
    Map<String, Instant> out = new HashMap<>();
    for (Map.Entry<String, Instant> e : store.query("SELECT job_id, MAX(ended_at) FROM pulse_runs WHERE outcome IN (?, ?) GROUP BY job_id",
        r -> Map.entry(r.string(1), r.instant(2)), Outcome.SUCCESS.label(), Outcome.PARTIAL.label())) {
      out.put(e.getKey(), e.getValue());
    }
    return out;
  }

  @Override
  public int interruptAbandoned(Instant endedAt, String message) {
    return store.update(
        "UPDATE pulse_runs SET outcome = ?, ended_at = ?, error_type = ?, error_message = ? WHERE outcome = ?",
        Outcome.INTERRUPTED.label(), endedAt, "DaemonStopped", message, Outcome.RUNNING.label());
  }

  @Override
  public int deleteStartedBefore(Instant cutoff) {
    return store.update("DELETE FROM pulse_runs WHERE started_at < ? AND outcome <> ?", cutoff, Outcome.RUNNING.label());
  }

  private static RunRecord row(Row r) throws SQLException {
    return new RunRecord(
        r.longValue("id"),
        r.string("job_id"),
        r.string("trigger_kind"),
        r.instant("scheduled_at"),
        r.instant("started_at"),
        r.instant("ended_at"),
        Outcome.fromLabel(r.string("outcome")),
        r.string("error_type"),
        r.string("error_message"),
        r.string("output_tail"),
        fromJson(r.string("summary")),
        r.string("trace_id"));
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
}
