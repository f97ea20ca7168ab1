package pulse.notify;

import io.opentelemetry.api.OpenTelemetry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import pulse.api.CheckEvent;
import pulse.api.ExtensionContext;
import pulse.api.RunEvent;
import pulse.api.Setting;
import pulse.api.Settings;
import pulse.api.Transactions;
import pulse.api.Trigger;
import pulse.config.MapSettings;
import pulse.store.Database;
import pulse.testing.StoreBackend;

/**
 * The alerts extension against a real H2 file in a temp dir, started and stopped as the daemon does,
 * driven by RunEvent and CheckEvent objects on a settable clock.
 */
final class AlertsHarness implements AutoCloseable {
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  /** Checks are observed by another run (the health job's) than the job runs above. */
  static final String CHECK_TRACE = "0af7651916cd43dd8448eb211c80319c";

  final Path dir;
  final Map<String, String> env = new HashMap<>();
  final MutableClock clock = new MutableClock(T0);
  final Set<String> jobIds = Set.of("backup-db", "sync", "web-report");
  private final AtomicLong runIds = new AtomicLong();
  private Database db;
  AlertsExtension ext;

  private final StoreBackend backend;

  AlertsHarness(Path dir) {
    this(StoreBackend.H2, dir);
  }

  AlertsHarness(StoreBackend backend, Path dir) {
    this.backend = backend;
    this.dir = dir;
    env.put("PULSE_API_URL", "http://pulse.example:8765");
  }

  AlertsHarness start() {
    db = backend.open(dir);
    db.migrate();
    ext = new AlertsExtension();
    db.migrate(ext.migrations().orElseThrow(), "pulse_schema_history_alerts");
    ext.start(context(settings()));
    return this;
  }

  Settings settings() {
    Map<String, String> defaults = new HashMap<>();
    for (Setting s : AlertSettings.ALL) {
      if (s.defaultValue() != null) {
        defaults.put(s.key(), s.defaultValue());
      }
    }
    return new MapSettings(env, defaults);
  }

  /** Stops the extension and closes the database, as a daemon stop does. */
  void stop() {
    if (ext != null) {
      ext.stop();
      ext = null;
    }
    if (db != null) {
      db.close();
      db = null;
    }
  }

  void restart() {
    stop();
    start();
  }

  AlertsExtension.Running running() {
    return ext.running();
  }

  void fail(String job, String error) {
    run(job, true, error, "line 1\nline 2: " + error);
  }

  void ok(String job) {
    run(job, false, null, "all good");
  }

  void run(String job, boolean failure, String error, String tail) {
    run(job, failure, error, tail, TRACE);
  }

  void run(String job, boolean failure, String error, String tail, String traceId) {
    long id = runIds.incrementAndGet();
    Instant now = clock.instant();
    ext.runStarted(new RunEvent(job, id, Trigger.SCHEDULE, now, now, null, "running", false, null, null, traceId));
    ext.runFinished(new RunEvent(job, id, Trigger.SCHEDULE, now, now, now, failure ? "failed" : "success", failure, error,
        tail, traceId));
  }

  void check(String name, boolean ok, String error) {
    check(name, ok, error, CHECK_TRACE);
  }

  /** A check result observed by the run with trace {@code traceId} (the health job's run). */
  void check(String name, boolean ok, String error, String traceId) {
    ext.checkFinished(new CheckEvent("check:" + name, ok, ok ? null : error, clock.instant(), null, traceId));
  }

  List<Alert> openAlerts() {
    return running().store().inTransaction("read open alerts", AlertStore::open);
  }

  List<Alert> resolvedAlerts() {
    return running().store().inTransaction("read resolved alerts", c -> AlertStore.recentlyResolved(c, 100));
  }

  int waiting() {
    return running().store().inTransaction("count the outbox", c -> OutboxStore.count(c, "delivered_at IS NULL AND failed_at IS NULL"));
  }

  List<OutboxEntry> given(String where) {
    return running().store().query("SELECT * FROM alert_outbox WHERE " + where + " ORDER BY id",
        r -> new OutboxEntry(r.longValue("id"), r.string("channel"), r.string("lane"), r.string("payload"),
            r.instant("created_at"), r.intValue("attempts"), r.instant("next_attempt_at"), r.string("last_error")));
  }

  /** One delivery pass now, on the test's thread (the sender thread may have done it already). */
  int deliver() {
    return running().sender().deliverDue();
  }

  private ExtensionContext context(Settings settings) {
    DataSource ds = db.dataSource();
    Transactions writes = db.transactions();
    Clock c = clock;
    Path d = dir;
    Set<String> ids = jobIds;
    return new ExtensionContext() {
      @Override public Settings settings() { return settings; }
      @Override public Clock clock() { return c; }
      @Override public DataSource dataSource() { return ds; }
      @Override public Transactions transactions() { return writes; }
      @Override public pulse.api.store.Store store() { return db.store(); }
      @Override public OpenTelemetry openTelemetry() { return OpenTelemetry.noop(); }
      @Override public Path stateDir() { return d; }
      @Override public Set<String> jobIds() { return ids; }
      @Override public Map<String, Instant> lastSuccessByJob() { return Map.of(); }
      @Override public void publish(CheckEvent event) { ext.checkFinished(event); }
      @Override public Set<String> alertSourceKinds() { return Set.of("job", "check", "table"); }
    };
  }

  @Override
  public void close() {
    stop();
  }
}
