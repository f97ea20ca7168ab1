package pulse.jobs.prompt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import pulse.api.store.Change;
import pulse.api.store.Leases;
import pulse.api.store.Row;
import pulse.api.store.Sql;
import pulse.api.store.Store;
import pulse.api.store.StoreException;

/**
 * The durable queue: one table, on the store kit, the same on H2 and PostgreSQL. A pulse is run
 * under a lease ({@link Leases}: owner and until columns) taken by a claim that skips rows another
 * executor locked; every later change is one statement guarded by the lease ({@code WHERE id = ?
 * AND lease_owner = ?}) whose update count says whether this caller still holds it, so no two
 * executors, on one node or many, ever run one pulse.
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

  private final Store store;
  private final Leases leases;

  /** @param store the daemon's store ({@link pulse.api.ExtensionContext#store()}) */
  public PromptQueue(Store store) {
    this.store = store;
    this.leases = Leases.on(store, "pulse_prompts", "id", "lease_owner", "lease_until");
  }

  /**
   * Inserts and commits: when this returns, the pulse survives a kill -9. Concurrent inserts share
   * one commit (group commit: N concurrent requests pay for one sync instead of N), and one bad row
   * fails only its own request.
   */
  public PromptPulse insert(NewPulse p, Instant now) {
    if (p.dedupeKey() != null) {
      return insertIfNew(p, now).orElseThrow(() -> new PromptStoreException("pulse with key " + p.dedupeKey() + " exists"));
    }
    return store.grouped("store the pulse", sql -> insertRow(sql, p, now));
  }

  /**
   * Inserts, or returns empty if a pulse with the same dedupe key already exists. A pulse with a key
   * is stored with its key in one transaction, so a crash never leaves one without the other.
   */
  public Optional<PromptPulse> insertIfNew(NewPulse p, Instant now) {
    if (p.dedupeKey() == null) {
      return Optional.of(insert(p, now));
    }
    try {
      return store.inTransaction("store the pulse", sql -> {
        if (sql.one("SELECT 1 FROM pulse_prompt_keys WHERE dedupe_key = ?", r -> 1, p.dedupeKey()).isPresent()) {
          return Optional.empty();
        }
        PromptPulse stored = insertRow(sql, p, now);
        sql.update("INSERT INTO pulse_prompt_keys (dedupe_key, pulse_id) VALUES (?, ?)", p.dedupeKey(), stored.id());
        return Optional.of(stored);
      });
    } catch (StoreException e) {
      if (e.getCause() instanceof SQLException s && store.dialect().isDuplicateKey(s)) {
        return Optional.empty(); // lost a race on the key: the other insert holds it
      }
      throw e;
    }
  }

  private static PromptPulse insertRow(Sql sql, NewPulse p, Instant now) throws SQLException {
    long id = sql.insert("INSERT INTO pulse_prompts (prompt, scheduled_at, priority, priority_rank, source, tags, notes, status,"
        + " attempts, created_at, updated_at, request_traceparent) VALUES (?,?,?,?,?,?,?,?,0,?,?,?)",
        p.prompt(), p.scheduledAt(), p.priority().label(), p.priority().rank(), p.source(),
        p.tags().isEmpty() ? null : toJson(p.tags()), p.notes(), PENDING, now, now, p.requestTraceparent());
    return new PromptPulse(id, p.prompt(), p.scheduledAt(), p.priority(), p.source(), p.tags(), p.notes(),
        PulseStatus.PENDING, 0, null, null, null, now, now, null, null, null, null, p.requestTraceparent(), null, null);
  }

  public Optional<PromptPulse> find(long id) {
    return store.one("SELECT " + COLUMNS + " FROM pulse_prompts WHERE id = ?", PromptQueue::row, id);
  }

  /**
   * Running pulses first, then pending ones by time (ties by id). Two range scans of the
   * (status, scheduled_at) index, whose rows H2 keeps in id order within a time, each stopping
   * after {@code limit} rows: one ORDER BY over both statuses with a priority tie-break made H2 sort
   * the whole queue on every call (1.7 s for {@code limit=1} with 41,107 pending).
   */
  public List<PromptPulse> upcoming(int limit) {
    List<PromptPulse> out = new ArrayList<>(store.query(UPCOMING + limit + " ROWS ONLY", PromptQueue::row, PROCESSING));
    if (out.size() < limit) {
      out.addAll(store.query(UPCOMING + (limit - out.size()) + " ROWS ONLY", PromptQueue::row, PENDING));
    }
    return out;
  }

  /** The newest pulses whatever their status. */
  public List<PromptPulse> recent(int limit) {
    return store.query("SELECT " + COLUMNS + " FROM pulse_prompts ORDER BY id DESC FETCH FIRST " + limit + " ROWS ONLY",
        PromptQueue::row);
  }

  /** Cancels a pending pulse; true if this call did it. */
  public boolean cancel(long id, Instant now) {
    return store.update("UPDATE pulse_prompts SET status = ?, finished_at = ?, updated_at = ? WHERE id = ? AND status = ?",
        PulseStatus.CANCELLED.label(), now, now, id, PENDING) == 1;
  }

  /**
   * Claims up to {@code limit} due pulses for {@code owner}: priority first, then scheduled time.
   * One claim through {@link Leases#claim}: a row another executor holds or is claiming is skipped.
   */
  public List<PromptPulse> claimDue(String owner, Instant now, Instant leaseUntil, int limit) {
    List<Long> ids = leases.claim(new Leases.Claim(
        Change.of("status = ? AND scheduled_at <= ?", PENDING, now), "priority_rank, scheduled_at, id", limit,
        Change.of("status = ?, attempts = attempts + 1, started_at = ?, updated_at = ?", PROCESSING, now, now)),
        owner, leaseUntil);
    if (ids.isEmpty()) {
      return List.of();
    }
    Map<Long, PromptPulse> byId = new java.util.HashMap<>();
    for (PromptPulse p : store.query("SELECT " + COLUMNS + " FROM pulse_prompts WHERE id IN ("
        + String.join(", ", java.util.Collections.nCopies(ids.size(), "?")) + ")", PromptQueue::row, ids.toArray())) {
      byId.put(p.id(), p);
    }
    return ids.stream().map(byId::get).filter(java.util.Objects::nonNull).toList();
  }

  /** Extends a lease; false if it is no longer this owner's (it expired and was reclaimed). */
  public boolean renew(long id, String owner, Instant until, Instant now) {
    return leases.renew(id, owner, until, Change.of("updated_at = ?", now));
  }

  /**
   * Records how an attempt ended and releases the lease. {@code status} is completed, failed, or
   * pending (a retry at {@code nextAt}). False if the lease was lost meanwhile.
   */
  public boolean finish(long id, String owner, Attempt a, PulseStatus status, Instant nextAt, Instant now) {
    Instant finished = status == PulseStatus.PENDING ? null : now;
    return leases.release(id, owner, Change.of("status = ?, last_error = ?, output_tail = ?, exit_code = ?, trace_id = ?,"
        + " run_millis = ?, finished_at = ?, scheduled_at = ?, updated_at = ?, child_pid = NULL, child_started = NULL",
        status.label(), a.error(), a.outputTail(), a.exitCode(), a.traceId(), a.runMillis(), finished, nextAt, now));
  }

  /** Gives a pulse back without counting the attempt: the daemon stopped while it ran. */
  public boolean release(long id, String owner, String why, Instant now) {
    return leases.release(id, owner, Change.of("status = ?, attempts = attempts - 1, last_error = ?, scheduled_at = ?,"
        + " updated_at = ?, child_pid = NULL, child_started = NULL", PENDING, why, now, now));
  }

  /** A pulse left in processing whose lease ended: its executor died or hangs. */
  public record Expired(long id, int attempts, Long childPid, String childStarted) {}

  /** Pulses in processing whose lease ended before {@code cutoff}. */
  public List<Expired> expired(Instant cutoff) {
    return leases.expired(cutoff, "id, attempts, child_pid, child_started",
        r -> new Expired(r.longValue("id"), r.intValue("attempts"), r.nullableLong("child_pid"), r.string("child_started")));
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
    Change set = retry
        ? Change.of("status = ?, last_error = ?, scheduled_at = ?, finished_at = NULL, updated_at = ?,"
            + " child_pid = NULL, child_started = NULL", to.label(), why + "; retrying", now, now)
        : Change.of("status = ?, last_error = ?, finished_at = ?, updated_at = ?, child_pid = NULL, child_started = NULL",
            to.label(), why + "; no attempts left (" + PromptSettings.MAX_ATTEMPTS + ")", now, now);
    return leases.reclaim(e.id(), cutoff, set) ? Optional.of(to) : Optional.empty();
  }

  /** Remembers the running command's process, to stop it if this executor dies and the pulse is reclaimed. */
  public void recordChild(long id, String owner, long pid, String started) {
    store.update("UPDATE pulse_prompts SET child_pid = ?, child_started = ? WHERE id = ? AND lease_owner = ?",
        pid, started, id, owner);
  }

  /** The earliest scheduled time of a pending pulse, if any. */
  public Optional<Instant> nextDue() {
    return store.one("SELECT MIN(scheduled_at) FROM pulse_prompts WHERE status = ?", r -> r.instant(1), PENDING);
  }

  /** True if a pulse from this source is waiting or running. */
  public boolean hasOpen(String source) {
    return store.one("SELECT 1 FROM pulse_prompts WHERE source = ? AND status IN (?, ?) FETCH FIRST 1 ROWS ONLY",
        r -> 1, source, PENDING, PROCESSING).isPresent();
  }

  /** Queue depth by status (every status present, zero if none). */
  public Map<String, Long> countByStatus() {
    Map<String, Long> out = new LinkedHashMap<>();
    for (PulseStatus s : PulseStatus.values()) {
      out.put(s.label(), 0L);
    }
    for (Map.Entry<String, Long> e : store.query("SELECT status, COUNT(*) FROM pulse_prompts GROUP BY status",
        r -> Map.entry(r.string(1), r.longValue(2)))) {
      out.put(e.getKey(), e.getValue());
    }
    return out;
  }

  /** Finished (completed or failed) pulses since {@code since}: count per status and average run time. */
  public Finished finishedSince(Instant since) {
    long completed = 0;
    long failed = 0;
    double totalMillis = 0;
    record Group(String status, long n, Double avg) {}
    for (Group g : store.query("SELECT status, COUNT(*), AVG(run_millis) FROM pulse_prompts WHERE finished_at >= ?"
        + " AND status IN (?, ?) GROUP BY status", r -> new Group(r.string(1), r.longValue(2), r.nullableDouble(3)),
        since, PulseStatus.COMPLETED.label(), PulseStatus.FAILED.label())) {
      totalMillis += (g.avg() == null ? 0 : g.avg()) * g.n();
      if (g.status().equals(PulseStatus.COMPLETED.label())) {
        completed = g.n();
      } else {
        failed = g.n();
      }
    }
    long all = completed + failed;
    return new Finished(completed, failed, all == 0 ? 0 : totalMillis / all);
  }

  /** Finished pulses in a window. */
  public record Finished(long completed, long failed, double averageMillis) {}

  private static PromptPulse row(Row r) throws SQLException {
    return new PromptPulse(
        r.longValue("id"),
        r.string("prompt"),
        r.instant("scheduled_at"),
        Priority.parse(r.string("priority")).orElse(Priority.NORMAL),
        r.string("source"),
        tags(r.string("tags")),
        r.string("notes"),
        PulseStatus.fromLabel(r.string("status")),
        r.intValue("attempts"),
        r.string("last_error"),
        r.string("output_tail"),
        r.nullableInt("exit_code"),
        r.instant("created_at"),
        r.instant("updated_at"),
        r.instant("started_at"),
        r.instant("finished_at"),
        r.nullableLong("run_millis"),
        r.string("trace_id"),
        r.string("request_traceparent"),
        r.string("lease_owner"),
        r.instant("lease_until"));
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
