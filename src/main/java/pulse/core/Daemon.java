package pulse.core;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pulse.api.Extension;
import pulse.api.ExtensionContext;
import pulse.api.Settings;
import pulse.api.Trigger;
import pulse.config.PulseConfig;
import pulse.store.Database;
import pulse.store.JdbcRunHistory;
import pulse.store.Migrations;
import pulse.store.RunHistory;
import pulse.store.RunRecord;
import pulse.telemetry.Telemetry;

/**
 * The running daemon: opens the store, starts extensions and the scheduler, and stops them in the
 * reverse order. Also the {@link JobCatalog} the API and status page read.
 */
public final class Daemon implements JobCatalog, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Daemon.class);
  /** How often old run history is deleted. */
  static final Duration RETENTION_EVERY = Duration.ofHours(6);

  private final PulseConfig config;
  private final List<PlannedJob> plan;
  private final List<Extension> extensions;
  private final Telemetry telemetry;
  private final Clock clock;
  private final Instant startedAt;
  private final Database db;
  private final String nodeId;
  private final RunHistory history;
  private final JobRunner runner;
  private final List<Extension> started = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final ScheduledExecutorService housekeeping =
      Executors.newSingleThreadScheduledExecutor(JobRunner.named("pulse-housekeeping", true));
  private QuartzScheduling scheduling;
  private volatile boolean stopped;

  private Daemon(PulseConfig config, Discovery.Found found, Telemetry telemetry, Clock clock) {
    this.config = config;
    this.plan = JobPlan.plan(found, config);
    this.extensions = found.extensions();
    this.telemetry = telemetry;
    this.clock = clock;
    this.startedAt = clock.instant();
    this.db = Database.open(config.database(), config.stateDir(), config.settings().path(Database.BACKUP_DIR_SETTING));
    this.nodeId = loadNodeId(config.stateDir(), db);
    this.history = new JdbcRunHistory(db);
    this.runner = new JobRunner(history, telemetry, clock, config.settings(), startedAt);
  }

  private static String loadNodeId(Path stateDir, Database db) {
    try {
      java.nio.file.Files.createDirectories(stateDir); // the embedded store made it already; PostgreSQL does not
      return NodeId.load(stateDir);
    } catch (java.io.IOException | RuntimeException e) {
      db.close();
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /**
   * Starts everything but the HTTP API, in order: database and migrations, abandoned runs marked
   * interrupted, extensions, scheduler. On failure, what was started is stopped again.
   */
  public static Daemon start(PulseConfig config, Discovery.Found found, Telemetry telemetry, Clock clock) {
    Daemon d = new Daemon(config, found, telemetry, clock);
    try {
      d.startAll();
      return d;
    } catch (RuntimeException e) {
      d.close();
      throw e;
    } catch (Exception e) {
      d.close();
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  private void startAll() throws Exception {
    List<Migrations> migrations = new ArrayList<>(List.of(Database.core()));
    for (Extension x : extensions) {
      Optional<String> m = x.migrations();
      if (m.isPresent()) {
        migrations.add(new Migrations(m.get(), "pulse_schema_history_" + x.name().replace('-', '_'), x.getClass().getClassLoader()));
      }
    }
    db.migrateAll(migrations); // one step: a start killed in the middle leaves the file as it was
    int abandoned = history.interruptAbandoned(startedAt, "the daemon stopped while this run was going (crash, kill -9 or power loss)");
    if (abandoned > 0) {
      log.warn("{} run(s) were still going when Pulse last stopped; recorded as interrupted", abandoned);
    }
    List<QuartzScheduling.Planned> toSchedule = new ArrayList<>();
    for (PlannedJob p : plan) {
      if (p.enabled()) {
        runner.register(p.job(), p.timeout());
        toSchedule.add(new QuartzScheduling.Planned(p.id(), p.schedule()));
      } else {
        log.info("Job {} is disabled: {}", p.id(), p.disabledReason());
      }
    }
    ExtensionContext ctx = extensionContext();
    for (Extension x : extensions) {
      x.start(ctx);
      started.add(x);
    }
    runner.observe(started);
    scheduling = new QuartzScheduling(db.dataSource(), db.dialect(), config.scheduler(), runner, clock);
    scheduling.sync(toSchedule);
    scheduling.start();
    db.onRecovered(scheduling::recoverAfterStoreFault);
    storeMetrics();
    housekeeping.scheduleWithFixedDelay(this::pruneHistory, 0, RETENTION_EVERY.toMinutes(), TimeUnit.MINUTES);
    log.info("Scheduler running: {} job(s) enabled, {} disabled; state in {}", toSchedule.size(),
        plan.size() - toSchedule.size(), config.stateDir());
  }

  /** How often the database file was synced, and whether the store is faulted: for /metrics and bench/. */
  private void storeMetrics() {
    var meter = telemetry.openTelemetry().getMeter("pulse");
    meter.counterBuilder("pulse.store.syncs").setUnit("{sync}")
        .setDescription("fsyncs of the database file; each covers every commit that returned before it began")
        .buildWithCallback(m -> m.record(db.syncs()));
    meter.gaugeBuilder("pulse.store.faulted").ofLongs()
        .setDescription("1 while the store cannot take writes (a full disk, an I/O error), else 0")
        .buildWithCallback(m -> m.record(db.fault().isPresent() ? 1 : 0));
  }

  private ExtensionContext extensionContext() {
    DataSource ds = db.dataSource();
    Settings settings = config.settings();
    Path state = config.stateDir();
    return new ExtensionContext() {
      @Override public Settings settings() { return settings; }
      @Override public Clock clock() { return clock; }
      @Override public DataSource dataSource() { return ds; }
      @Override public pulse.api.Transactions transactions() { return db.transactions(); }
      @Override public pulse.api.store.Store store() { return db.store(); }
      @Override public String nodeId() { return nodeId; }
      @Override public pulse.api.Notifications notifications() {
        // resolved per notice: the providing extension may start after the one that sends
        return notice -> started.stream().map(Extension::notifications).flatMap(Optional::stream).findFirst()
            .map(n -> n.send(notice)).orElse(false);
      }
      @Override public java.util.Set<String> alertSourceKinds() {
        java.util.Set<String> kinds = new java.util.TreeSet<>(List.of("job", "check"));
        extensions.forEach(x -> kinds.addAll(x.alertSourceKinds()));
        return kinds;
      }
      @Override public java.time.ZoneId zone() { return config.scheduler().timezone(); }
      @Override public io.opentelemetry.api.OpenTelemetry openTelemetry() { return telemetry.openTelemetry(); }
      @Override public Path stateDir() { return state; }
      @Override public java.util.Set<String> jobIds() { return java.util.Set.copyOf(runnerIds()); }
      @Override public java.util.Map<String, Instant> lastSuccessByJob() { return history.lastSuccessByJob(); }
      @Override public void publish(pulse.api.CheckEvent event) {
        for (Extension x : started) {
          try {
            x.checkFinished(event);
          } catch (RuntimeException e) {
            log.warn("Extension {} failed on a check result: {}", x.name(), e.getMessage());
          }
        }
      }
    };
  }

  private List<String> runnerIds() {
    return plan.stream().map(PlannedJob::id).toList();
  }

  private void pruneHistory() {
    try {
      int n = history.deleteStartedBefore(clock.instant().minus(config.historyRetention()));
      if (n > 0) {
        log.info("Deleted {} run(s) older than {} (PULSE_HISTORY_RETENTION)", n, pulse.api.Durations.format(config.historyRetention()));
      }
    } catch (RuntimeException e) {
      log.warn("Could not delete old run history: {}. Will try again in {}.", e.getMessage(), pulse.api.Durations.format(RETENTION_EVERY));
    }
  }

  @Override
  public List<JobView> jobs() {
    Map<String, RunRecord> last = history.lastFinishedByJob();
    Map<String, Instant> next = scheduling == null ? Map.of() : scheduling.nextFires();
    return plan.stream().map(p -> view(p, last.get(p.id()), next.get(p.id()))).toList();
  }

  @Override
  public Optional<JobView> job(String id) {
    return jobs().stream().filter(j -> j.id().equals(id)).findFirst();
  }

  private JobView view(PlannedJob p, RunRecord last, Instant next) {
    String desc;
    try {
      desc = p.job().description();
    } catch (RuntimeException | LinkageError e) {
      desc = "";
    }
    return new JobView(p.id(), desc, p.schedule() == null ? null : p.schedule().text(),
        pulse.api.Durations.format(p.timeout()), p.enabled(), p.disabledReason(),
        p.enabled() ? next : null, runner.isRunning(p.id()), last);
  }

  @Override
  public long runNow(String id) {
    PlannedJob p = plan.stream().filter(j -> j.id().equals(id)).findFirst().orElseThrow(() -> new UnknownJobException(id));
    if (!p.enabled()) {
      throw new JobNotRunnableException("job " + id + " is disabled: " + p.disabledReason());
    }
    return runner.fire(id, Trigger.MANUAL, clock.instant())
        .orElseThrow(() -> new JobNotRunnableException("job " + id + " is already running; try again when it ends"));
  }

  public RunHistory history() {
    return history;
  }

  public List<PlannedJob> plan() {
    return plan;
  }

  public List<Extension> extensions() {
    return extensions;
  }

  public Clock clock() {
    return clock;
  }

  public Instant startedAt() {
    return startedAt;
  }

  public PulseConfig config() {
    return config;
  }

  /** True while the scheduler fires and the database takes writes: what the systemd watchdog vouches for. */
  public boolean healthy() {
    if (stopped || scheduling == null || !scheduling.healthy() || db.fault().isPresent()) {
      return false;
    }
    try {
      return db.ping();
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Why the store cannot take writes, if it cannot (a full disk): for health and the API's 503s. */
  public Optional<String> storeFault() {
    return db.fault();
  }

  public String schedulerState() {
    return stopped ? "stopping" : scheduling == null ? "starting" : scheduling.state();
  }

  /**
   * Stops firing, asks running jobs to stop and waits up to PULSE_SHUTDOWN_GRACE, records what is
   * left as interrupted, stops extensions and closes the database.
   */
  @Override
  public synchronized void close() {
    if (stopped) {
      return;
    }
    stopped = true;
    housekeeping.shutdownNow();
    if (scheduling != null) {
      scheduling.close();
    }
    runner.shutdown(config.scheduler().shutdownGrace());
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).stop();
      } catch (RuntimeException | LinkageError e) {
        log.warn("Extension {} did not stop cleanly: {}", started.get(i).name(), e.toString());
      }
    }
    db.close();
  }
}
