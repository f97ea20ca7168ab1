package pulse.jobs.prompt;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import pulse.api.Transactions;

/**
 * The durable queue: one table, plain JDBC that runs on H2 and PostgreSQL. Every state change is a
 * single guarded UPDATE ({@code WHERE id = ? AND status = ...}) whose update count says whether this
 * caller won, so no two executors ever hold one pulse.
 */
public final class PromptQueue {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String COLUMNS =
      "id, prompt, scheduled_at, priority, source, tags, notes, status, attempts, last_error, output_tail, exit_code,"
          + " created_at, updated_at, started_at, finished_at, run_millis, trace_id, request_traceparent, lease_owner, lease_until";
  /** Rows of one status in time order, straight off the (status, scheduled_at) index; ends in FETCH FIRST. */
  static final String UPCOMING = "SELECT " + COLUMNS + " FROM pulse_prompts WHERE status = ? ORDER BY status, scheduled_at, id FETCH FIRST ";
  private static final String PENDING = PulseStatus.PENDING.label();
  private static final String PROCESSING = PulseStatus.PROCESSING.label();

  private final DataSource ds;
  private final Transactions writes;

  /** @param writes the daemon's group commit ({@link pulse.api.ExtensionContext#transactions()}) */
  public PromptQueue(DataSource ds, Transactions writes) {
    this.ds = ds;
    this.writes = writes;
  }

  /**
   * Inserts and commits: when this returns, the pulse survives a kill -9. Concurrent inserts share
   * one commit (group commit: N concurrent requests pay for one H2 chunk write instead of N), and
   * one bad row fails only its own request.
   */
  public PromptPulse insert(NewPulse p, Instant now) {
    if (p.dedupeKey() != null) {
      return insertIfNew(p, now).orElseThrow(() -> new PromptStoreException("pulse with key " + p.dedupeKey() + " exists"));
    }
    try {
      return writes.inTransaction(c -> insertRow(c, p, now));
    } catch (SQLException e) {
      throw new PromptStoreException("cannot store the pulse: " + e.getMessage(), e);
    }
  }

  /**
   * Inserts, or returns empty if a pulse with the same dedupe key already exists. A pulse with a key
   * is stored with its key in one transaction, so a crash never leaves one without the other.
   */
  public Optional<PromptPulse> insertIfNew(NewPulse p, Instant now) {
    try (Connection c = ds.getConnection()) {
      if (p.dedupeKey() == null) {
        return Optional.of(insertRow(c, p, now));
      }
      c.setAutoCommit(false);
      try {
        if (exists(c, p.dedupeKey())) {
          c.rollback();
          return Optional.empty();
        }
        PromptPulse stored = insertRow(c, p, now);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO pulse_prompt_keys (dedupe_key, pulse_id) VALUES (?, ?)")) {
          ps.setString(1, p.dedupeKey());
          ps.setLong(2, stored.id());
          ps.executeUpdate();
        }
        c.commit();
        return Optional.of(stored);
      } catch (SQLException e) {
        c.rollback();
        if ("23505".equals(e.getSQLState())) {
          return Optional.empty(); // lost a race on the key: the other insert holds it
        }
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new PromptStoreException("cannot store the pulse: " + e.getMessage(), e);
    }
  }

  private static PromptPulse insertRow(Connection c, NewPulse p, Instant now) throws SQLException {
    String sql = "INSERT INTO pulse_prompts (prompt, scheduled_at, priority, priority_rank, source, tags, notes, status,"
        + " attempts, created_at, updated_at, request_traceparent) VALUES (?,?,?,?,?,?,?,?,0,?,?,?)";
    try (PreparedStatement ps = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
      ps.setString(1, p.prompt());
      ps.setTimestamp(2, Timestamp.from(p.scheduledAt()));
      ps.setString(3, p.priority().label());
      ps.setInt(4, p.priority().rank());
      ps.setString(5, p.source());
      ps.setString(6, p.tags().isEmpty() ? null : toJson(p.tags()));
      ps.setString(7, p.notes());
      ps.setString(8, PENDING);
      ps.setTimestamp(9, Timestamp.from(now));
      ps.setTimestamp(10, Timestamp.from(now));
      ps.setString(11, p.requestTraceparent());
      ps.executeUpdate();
      long id;
      try (ResultSet keys = ps.getGeneratedKeys()) {
        keys.next();
        id = keys.getLong(1);
      }
      return new PromptPulse(id, p.prompt(), p.scheduledAt(), p.priority(), p.source(), p.tags(), p.notes(),
          PulseStatus.PENDING, 0, null, null, null, now, now, null, null, null, null, p.requestTraceparent(), null, null);
    }
  }

  private static boolean exists(Connection c, String dedupeKey) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pulse_prompt_keys WHERE dedupe_key = ?")) {
      ps.setString(1, dedupeKey);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  public Optional<PromptPulse> find(long id) {
    List<PromptPulse> r = query("SELECT " + COLUMNS + " FROM pulse_prompts WHERE id = ?", List.of(id));
    return r.isEmpty() ? Optional.empty() : Optional.of(r.get(0));
  }

  /**
   * Running pulses first, then pending ones by time (ties by id). Two range scans of the
   * (status, scheduled_at) index, whose rows H2 keeps in id order within a time, each stopping
   * after {@code limit} rows: one ORDER BY over both statuses with a priority tie-break made H2 sort
   * the whole queue on every call (1.7 s for {@code limit=1} with 41,107 pending).
   */
  public List<PromptPulse> upcoming(int limit) {
    List<PromptPulse> out = new ArrayList<>(query(UPCOMING + limit + " ROWS ONLY", List.of(PROCESSING)));
    if (out.size() < limit) {
      out.addAll(query(UPCOMING + (limit - out.size()) + " ROWS ONLY", List.of(PENDING)));
    }
    return out;
  }

  /** The newest pulses whatever their status. */
  public List<PromptPulse> recent(int limit) {
    return query("SELECT " + COLUMNS + " FROM pulse_prompts ORDER BY id DESC FETCH FIRST " + limit + " ROWS ONLY", List.of());
  }

  /** Cancels a pending pulse; true if this call did it. */
  public boolean cancel(long id, Instant now) {
    return update("UPDATE pulse_prompts SET status = ?, finished_at = ?, updated_at = ? WHERE id = ? AND status = ?",
        List.of(PulseStatus.CANCELLED.label(), ts(now), ts(now), id, PENDING)) == 1;
  }

  /**
   * Claims up to {@code limit} due pulses for {@code owner}: priority first, then scheduled time.
   * Each claim is a guarded UPDATE; a row another executor took in between is skipped.
   */
  public List<PromptPulse> claimDue(String owner, Instant now, Instant leaseUntil, int limit) {
    List<PromptPulse> candidates = query("SELECT " + COLUMNS + " FROM pulse_prompts WHERE status = ? AND scheduled_at <= ?"
        + " ORDER BY priority_rank, scheduled_at, id FETCH FIRST " + limit + " ROWS ONLY", List.of(PENDING, ts(now)));
    List<PromptPulse> claimed = new ArrayList<>();
    for (PromptPulse p : candidates) {
      int n = update("UPDATE pulse_prompts SET status = ?, lease_owner = ?, lease_until = ?, attempts = attempts + 1,"
          + " started_at = ?, updated_at = ? WHERE id = ? AND status = ?",
          List.of(PROCESSING, owner, ts(leaseUntil), ts(now), ts(now), p.id(), PENDING));
      if (n == 1) {
        claimed.add(new PromptPulse(p.id(), p.prompt(), p.scheduledAt(), p.priority(), p.source(), p.tags(), p.notes(),
            PulseStatus.PROCESSING, p.attempts() + 1, p.lastError(), p.outputTail(), p.exitCode(), p.createdAt(), now, now,
            null, null, p.traceId(), p.requestTraceparent(), owner, leaseUntil));
      }
    }
    return claimed;
  }

  /** Extends a lease; false if it is no longer this owner's (it expired and was reclaimed). */
  public boolean renew(long id, String owner, Instant until, Instant now) {
    return update("UPDATE pulse_prompts SET lease_until = ?, updated_at = ? WHERE id = ? AND lease_owner = ? AND status = ?",
        List.of(ts(until), ts(now), id, owner, PROCESSING)) == 1;
  }

  /**
   * Records how an attempt ended and releases the lease. {@code status} is completed, failed, or
   * pending (a retry at {@code nextAt}). False if the lease was lost meanwhile.
   */
  public boolean finish(long id, String owner, Attempt a, PulseStatus status, Instant nextAt, Instant now) {
    Object finished = status == PulseStatus.PENDING ? null : ts(now);
    List<Object> args = new ArrayList<>();
    args.add(status.label());
    args.add(a.error());
    args.add(a.outputTail());
    args.add(a.exitCode());
    args.add(a.traceId());
    args.add(a.runMillis());
    args.add(finished);
    args.add(ts(nextAt));
    args.add(ts(now));
    args.add(id);
    args.add(owner);
    args.add(PROCESSING);
    return update("UPDATE pulse_prompts SET status = ?, last_error = ?, output_tail = ?, exit_code = ?, trace_id = ?,"
        + " run_millis = ?, finished_at = ?, scheduled_at = ?, updated_at = ?, lease_owner = NULL, lease_until = NULL,"
        + " child_pid = NULL, child_started = NULL"
        + " WHERE id = ? AND lease_owner = ? AND status = ?", args) == 1;
  }

  /** Gives a pulse back without counting the attempt: the daemon stopped while it ran. */
  public boolean release(long id, String owner, String why, Instant now) {
    return update("UPDATE pulse_prompts SET status = ?, attempts = attempts - 1, last_error = ?, scheduled_at = ?,"
        + " updated_at = ?, lease_owner = NULL, lease_until = NULL, child_pid = NULL, child_started = NULL"
        + " WHERE id = ? AND lease_owner = ? AND status = ?",
        List.of(PENDING, why, ts(now), ts(now), id, owner, PROCESSING)) == 1;
  }

  /** A pulse left in processing whose lease ended: its executor died or hangs. */
  public record Expired(long id, int attempts, Long childPid, String childStarted) {}

  /** Pulses in processing whose lease ended before {@code cutoff}. */
  public List<Expired> expired(Instant cutoff) {
    String sql = "SELECT id, attempts, child_pid, child_started FROM pulse_prompts WHERE status = ? AND lease_until < ?";
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, PROCESSING);
      ps.setTimestamp(2, ts(cutoff));
      List<Expired> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long pid = rs.getLong(3);
          out.add(new Expired(rs.getLong(1), rs.getInt(2), rs.wasNull() ? null : pid, rs.getString(4)));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new PromptStoreException("cannot read the queue: " + e.getMessage(), e);
    }
  }

  /**
   * Takes back an expired pulse: pending again (due now) if attempts remain, else failed. Guarded by
   * the lease still being expired, so a pulse whose executor renewed meanwhile stays with it.
   * Returns the new status, or empty if the pulse was not taken back.
   */
  public Optional<PulseStatus> reclaim(Expired e, int maxAttempts, Instant cutoff, Instant now) {
    String why = "the executor running this pulse stopped (crash or kill -9) and its lease expired";
    boolean retry = e.attempts() < maxAttempts;
    PulseStatus to = retry ? PulseStatus.PENDING : PulseStatus.FAILED;
    String set = retry ? "scheduled_at = ?, finished_at = NULL" : "finished_at = ?, scheduled_at = scheduled_at";
    String sql = "UPDATE pulse_prompts SET status = ?, last_error = ?, " + set + ", updated_at = ?,"
        + " lease_owner = NULL, lease_until = NULL, child_pid = NULL, child_started = NULL"
        + " WHERE id = ? AND status = ? AND lease_until < ?";
    List<Object> args = List.of(to.label(),
        retry ? why + "; retrying" : why + "; no attempts left (" + PromptSettings.MAX_ATTEMPTS + ")",
        ts(now), ts(now), e.id(), PROCESSING, ts(cutoff));
    return update(sql, args) == 1 ? Optional.of(to) : Optional.empty();
  }

  /** Remembers the running command's process, to stop it if this executor dies and the pulse is reclaimed. */
  public void recordChild(long id, String owner, long pid, String started) {
    update("UPDATE pulse_prompts SET child_pid = ?, child_started = ? WHERE id = ? AND lease_owner = ? AND status = ?",
        List.of(pid, started, id, owner, PROCESSING));
  }

  /** The earliest scheduled time of a pending pulse, if any. */
  public Optional<Instant> nextDue() {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT MIN(scheduled_at) FROM pulse_prompts WHERE status = ?")) {
      ps.setString(1, PENDING);
      try (ResultSet rs = ps.executeQuery()) {
        Timestamp t = rs.next() ? rs.getTimestamp(1) : null;
        return Optional.ofNullable(t).map(Timestamp::toInstant);
      }
    } catch (SQLException e) {
      throw new PromptStoreException("cannot read the queue: " + e.getMessage(), e);
    }
  }

  /** True if a pulse from this source is waiting or running. */
  public boolean hasOpen(String source) {
    return !query("SELECT " + COLUMNS + " FROM pulse_prompts WHERE source = ? AND status IN (?, ?) FETCH FIRST 1 ROWS ONLY",
        List.of(source, PENDING, PROCESSING)).isEmpty();
  }

  /** Queue depth by status (every status present, zero if none). */
  public Map<String, Long> countByStatus() {
    Map<String, Long> out = new LinkedHashMap<>();
    for (PulseStatus s : PulseStatus.values()) {
      out.put(s.label(), 0L);
    }
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT status, COUNT(*) FROM pulse_prompts GROUP BY status");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getLong(2));
      }
      return out;
    } catch (SQLException e) {
      throw new PromptStoreException("cannot read the queue: " + e.getMessage(), e);
    }
  }

  /** Finished (completed or failed) pulses since {@code since}: count per status and average run time. */
  public Finished finishedSince(Instant since) {
    String sql = "SELECT status, COUNT(*), AVG(run_millis) FROM pulse_prompts WHERE finished_at >= ? AND status IN (?, ?) GROUP BY status";
    long completed = 0;
    long failed = 0;
    double totalMillis = 0;
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setTimestamp(1, Timestamp.from(since));
      ps.setString(2, PulseStatus.COMPLETED.label());
      ps.setString(3, PulseStatus.FAILED.label());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long n = rs.getLong(2);
          totalMillis += rs.getDouble(3) * n;
          if (rs.getString(1).equals(PulseStatus.COMPLETED.label())) {
            completed = n;
          } else {
            failed = n;
          }
        }
      }
    } catch (SQLException e) {
      throw new PromptStoreException("cannot read the queue: " + e.getMessage(), e);
    }
    long all = completed + failed;
    return new Finished(completed, failed, all == 0 ? 0 : totalMillis / all);
  }

  /** Finished pulses in a window. */
  public record Finished(long completed, long failed, double averageMillis) {}

  private List<PromptPulse> query(String sql, List<Object> args) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      List<PromptPulse> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(row(rs));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new PromptStoreException("cannot read the queue: " + e.getMessage(), e);
    }
  }

  private int update(String sql, List<Object> args) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new PromptStoreException("cannot update the queue: " + e.getMessage(), e);
    }
  }

  private static void bind(PreparedStatement ps, List<Object> args) throws SQLException {
    for (int i = 0; i < args.size(); i++) {
      Object a = args.get(i);
      ps.setObject(i + 1, a);
    }
  }

  private static Timestamp ts(Instant i) {
    return Timestamp.from(i);
  }

  private static PromptPulse row(ResultSet rs) throws SQLException {
    int exit = rs.getInt("exit_code");
    Integer exitCode = rs.wasNull() ? null : exit;
    long millis = rs.getLong("run_millis");
    Long runMillis = rs.wasNull() ? null : millis;
    return new PromptPulse(
        rs.getLong("id"),
        rs.getString("prompt"),
        instant(rs, "scheduled_at"),
        Priority.parse(rs.getString("priority")).orElse(Priority.NORMAL),
        rs.getString("source"),
        tags(rs.getString("tags")),
        rs.getString("notes"),
        PulseStatus.fromLabel(rs.getString("status")),
        rs.getInt("attempts"),
        rs.getString("last_error"),
        rs.getString("output_tail"),
        exitCode,
        instant(rs, "created_at"),
        instant(rs, "updated_at"),
        instant(rs, "started_at"),
        instant(rs, "finished_at"),
        runMillis,
        rs.getString("trace_id"),
        rs.getString("request_traceparent"),
        rs.getString("lease_owner"),
        instant(rs, "lease_until"));
  }

  private static Instant instant(ResultSet rs, String col) throws SQLException {
    Timestamp t = rs.getTimestamp(col);
    return t == null ? null : t.toInstant();
  }

  private static String toJson(List<String> tags) {
    try {
      return JSON.writeValueAsString(tags);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> tags(String json) {
    if (json == null || json.isEmpty()) {
      return List.of();
    }
    try {
      return List.copyOf(JSON.readValue(json, new TypeReference<List<String>>() {}));
    } catch (JsonProcessingException e) {
      return List.of();
    }
  }
}
