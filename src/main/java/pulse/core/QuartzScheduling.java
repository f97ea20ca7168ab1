package pulse.core;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TimeZone;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.quartz.CronExpression;
import org.quartz.CronScheduleBuilder;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.SimpleTrigger;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.impl.matchers.GroupMatcher;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pulse.config.Schedule;
import pulse.config.SchedulerConfig;

/**
 * Quartz behind a small surface: persistent triggers in the JDBC job store, synced to the enabled
 * jobs at startup. Quartz types never leave this package.
 *
 * <p>The three rules: a fire that arrives while the job runs is skipped ({@link JobRunner}); fires
 * missed while the daemon was down run once on start when the newest is inside the misfire grace
 * ({@link #sync}); and stale fires are coalesced ({@link CoalescingListener}).
 */
final class QuartzScheduling implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(QuartzScheduling.class);
  static final String GROUP = "pulse";
  /** Stored with each trigger: when it changes, the trigger is rebuilt and no catch-up is owed. */
  private static final String SIGNATURE = "pulse.signature";
  /**
   * How far ahead of its due time a fire is handed over ({@link FireAheadJobStore}): room for
   * Quartz's bookkeeping and the history rows of a burst of fires, so the jobs start on time.
   */
  static final Duration FIRE_AHEAD = Duration.ofMillis(500);
  /** How long Quartz waits before it tries the store again after a failure (its default is 15 s). */
  static final Duration STORE_RETRY = Duration.ofSeconds(5);
  /** Quartz keeps a process-wide registry of data sources; each scheduler instance gets its own name. */
  private static final AtomicInteger DATA_SOURCES = new AtomicInteger();

  private final Scheduler scheduler;
  private final SchedulerConfig config;
  private final Clock clock;
  private final JobRunner runner;
  private final String storeKey;

  /** A job to schedule. */
  record Planned(String jobId, Schedule schedule) {}

  /** PostgreSQL keeps Quartz's job data in bytea, which StdJDBCDelegate cannot read. */
  static String delegateFor(pulse.api.store.Dialect dialect) {
    return dialect == pulse.api.store.Dialect.POSTGRESQL
        ? "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate" : "org.quartz.impl.jdbcjobstore.StdJDBCDelegate";
  }

  QuartzScheduling(DataSource dataSource, pulse.api.store.Dialect dialect, SchedulerConfig config, JobRunner runner, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.runner = runner;
    String dsName = "pulse-" + DATA_SOURCES.incrementAndGet();
    DBConnectionManager.getInstance().addConnectionProvider(dsName, new Provider(dataSource));
    Properties p = new Properties();
    p.setProperty("org.quartz.scheduler.instanceName", "pulse");
    p.setProperty("org.quartz.scheduler.instanceId", "local");
    p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
    p.setProperty("org.quartz.scheduler.makeSchedulerThreadDaemon", "true");
    p.setProperty("org.quartz.scheduler.batchTriggerAcquisitionMaxCount", String.valueOf(config.threads()));
    // Quartz's SimpleThreadPool wakes every idle thread twice a second; this one keeps none idle.
    p.setProperty("org.quartz.threadPool.class", OnDemandThreadPool.class.getName());
    p.setProperty("org.quartz.threadPool.threadCount", String.valueOf(config.threads()));
    p.setProperty("org.quartz.threadPool.threadNamePrefix", "pulse-quartz");
    p.setProperty("org.quartz.jobStore.class", FireAheadJobStore.class.getName());
    p.setProperty("org.quartz.jobStore.fireAheadMillis", String.valueOf(FIRE_AHEAD.toMillis()));
    p.setProperty("org.quartz.jobStore.registryKey", dsName);
    // after a failed acquisition (a full disk) Quartz waits this long before it tries again
    p.setProperty("org.quartz.jobStore.dbRetryInterval", String.valueOf(STORE_RETRY.toMillis()));
    p.setProperty("org.quartz.jobStore.driverDelegateClass", delegateFor(dialect));
    p.setProperty("org.quartz.jobStore.dataSource", dsName);
    p.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
    p.setProperty("org.quartz.jobStore.useProperties", "true");
    p.setProperty("org.quartz.jobStore.misfireThreshold", String.valueOf(config.misfireGrace().toMillis()));
    this.storeKey = dsName;
    try {
      scheduler = new StdSchedulerFactory(p).getScheduler();
      QuartzFire fire = new QuartzFire(runner);
      scheduler.setJobFactory((bundle, s) -> fire);
      scheduler.getListenerManager().addTriggerListener(new CoalescingListener(clock, runner::recordSkip));
    } catch (SchedulerException e) {
      throw new IllegalStateException("cannot create the Quartz scheduler: " + e.getMessage(), e);
    }
  }

  /**
   * Makes the stored triggers match the enabled jobs: new jobs get a trigger, changed schedules a
   * new one, removed or disabled jobs lose theirs. An unchanged trigger whose fires were missed
   * while the daemon was down is moved to its newest missed fire if that is inside the grace, so it
   * runs once now; otherwise to its next fire.
   */
  void sync(List<Planned> planned) throws SchedulerException {
    Instant now = clock.instant();
    Set<String> wanted = new HashSet<>();
    for (Planned p : planned) {
      wanted.add(p.jobId());
      JobKey jk = JobKey.jobKey(p.jobId(), GROUP);
      JobDetail detail = JobBuilder.newJob(QuartzFire.class).withIdentity(jk).storeDurably()
          .usingJobData(QuartzFire.JOB_ID, p.jobId()).build();
      scheduler.addJob(detail, true);
      TriggerKey tk = TriggerKey.triggerKey(p.jobId(), GROUP);
      Trigger existing = scheduler.getTrigger(tk);
      String signature = signature(p.schedule());
      if (existing != null && signature.equals(existing.getJobDataMap().getString(SIGNATURE))
          && existing.getNextFireTime() != null) {
        catchUp(p, existing, now);
      } else {
        Trigger fresh = trigger(p, firstFire(p.schedule(), now), signature);
        if (existing == null) {
          scheduler.scheduleJob(fresh);
        } else {
          scheduler.rescheduleJob(tk, fresh);
          log.info("Schedule of {} is now '{}'", p.jobId(), p.schedule().text());
        }
      }
    }
    for (JobKey jk : scheduler.getJobKeys(GroupMatcher.jobGroupEquals(GROUP))) {
      if (!wanted.contains(jk.getName())) {
        scheduler.deleteJob(jk);
      }
    }
  }

  private void catchUp(Planned p, Trigger existing, Instant now) throws SchedulerException {
    Instant next = existing.getNextFireTime().toInstant();
    if (next.isAfter(now)) {
      return;
    }
    Instant graceStart = now.minus(config.misfireGrace());
    Optional<Instant> newest = newestFire(p.schedule(), existing, next.isAfter(graceStart) ? next : graceStart, now);
    String signature = existing.getJobDataMap().getString(SIGNATURE);
    if (newest.isPresent()) {
      runner.owesCatchUp(p.jobId());
      log.info("{} missed fires while Pulse was down (first due {}); running it once now for the fire due {}",
          p.jobId(), next, newest.get());
      scheduler.rescheduleJob(existing.getKey(), trigger(p, newest.get(), signature));
    } else {
      Instant first = firstFire(p.schedule(), now);
      log.warn("{} missed fires while Pulse was down (first due {}), all later than the misfire grace of {};"
          + " skipped to its next fire at {}", p.jobId(), next, pulse.api.Durations.format(config.misfireGrace()), first);
      scheduler.rescheduleJob(existing.getKey(), trigger(p, first, signature));
    }
  }

  /** The newest fire in [from, now], if any. */
  private Optional<Instant> newestFire(Schedule s, Trigger existing, Instant from, Instant now) {
    if (s.isCron()) {
      CronExpression cron = cron(s);
      Instant newest = null;
      Date t = cron.getTimeAfter(Date.from(from.minusMillis(1)));
      while (t != null && !t.toInstant().isAfter(now)) {
        newest = t.toInstant();
        t = cron.getTimeAfter(t);
      }
      return Optional.ofNullable(newest);
    }
    long period = s.interval().toMillis();
    long start = existing.getStartTime().getTime();
    long k = Math.floorDiv(now.toEpochMilli() - start, period);
    Instant newest = Instant.ofEpochMilli(start + k * period);
    return newest.isBefore(from) ? Optional.empty() : Optional.of(newest);
  }

  /**
   * The first fire after now. Intervals are aligned to multiples of the interval since the epoch, so
   * "every 5m" fires at :00, :05 ... whatever time the daemon started.
   */
  private Instant firstFire(Schedule s, Instant now) {
    if (s.isCron()) {
      return cron(s).getTimeAfter(Date.from(now)).toInstant();
    }
    long period = s.interval().toMillis();
    long n = Math.floorDiv(now.toEpochMilli(), period) + 1;
    return Instant.ofEpochMilli(n * period);
  }

  private CronExpression cron(Schedule s) {
    try {
      CronExpression c = new CronExpression(s.cron());
      c.setTimeZone(TimeZone.getTimeZone(config.timezone()));
      return c;
    } catch (java.text.ParseException e) {
      throw new IllegalStateException("schedule was validated at startup: " + s.cron(), e);
    }
  }

  private Trigger trigger(Planned p, Instant startAt, String signature) {
    TriggerBuilder<Trigger> b = TriggerBuilder.newTrigger()
        .withIdentity(p.jobId(), GROUP)
        .forJob(p.jobId(), GROUP)
        .usingJobData(SIGNATURE, signature)
        .startAt(Date.from(startAt));
    Schedule s = p.schedule();
    if (s.isCron()) {
      return b.withSchedule(CronScheduleBuilder.cronSchedule(cron(s)).withMisfireHandlingInstructionDoNothing()).build();
    }
    return b.withSchedule(SimpleScheduleBuilder.simpleSchedule()
            .withIntervalInMilliseconds(s.interval().toMillis())
            .repeatForever()
            .withMisfireHandlingInstructionNextWithRemainingCount())
        .build();
  }

  private String signature(Schedule s) {
    ZoneId zone = config.timezone();
    return (s.isCron() ? "cron:" + s.cron() : "every:" + s.interval().toMillis()) + "|" + zone.getId();
  }

  void start() throws SchedulerException {
    runner.catchUpUntil(clock.instant());
    scheduler.start();
  }

  /** When a job fires next, if it is scheduled. */
  Optional<Instant> nextFire(String jobId) {
    try {
      Trigger t = scheduler.getTrigger(TriggerKey.triggerKey(jobId, GROUP));
      return t == null || t.getNextFireTime() == null ? Optional.empty() : Optional.of(t.getNextFireTime().toInstant());
    } catch (SchedulerException e) {
      return Optional.empty();
    }
  }

  /** Every scheduled job's next fire, in one pass. */
  Map<String, Instant> nextFires() {
    Map<String, Instant> out = new java.util.HashMap<>();
    try {
      for (TriggerKey tk : scheduler.getTriggerKeys(GroupMatcher.triggerGroupEquals(GROUP))) {
        nextFire(tk.getName()).ifPresent(i -> out.put(tk.getName(), i));
      }
    } catch (SchedulerException e) {
      log.warn("Cannot read next fire times: {}", e.getMessage());
    }
    return out;
  }

  /**
   * The store works again after a fault: with firing paused, triggers stuck half-acquired go back to
   * waiting (misfires are handled by the usual rules), then firing resumes.
   */
  void recoverAfterStoreFault() {
    try {
      if (scheduler.isShutdown()) {
        return;
      }
      scheduler.standby();
      FireAheadJobStore.byKey(storeKey).recoverAfterStoreFault();
      scheduler.start();
      log.info("Scheduler resumed after the store fault; next fires: {}", nextFires().size());
    } catch (SchedulerException e) {
      log.error("Could not resume the scheduler after the store fault: {}. Will try again at the next recovery.", e.getMessage());
      try {
        scheduler.start();
      } catch (SchedulerException again) {
        log.error("The scheduler stays paused: {}; restart Pulse", again.getMessage());
      }
    }
  }

  /** Started, not in standby, not shut down: what the systemd watchdog vouches for. */
  boolean healthy() {
    try {
      return scheduler.isStarted() && !scheduler.isInStandbyMode() && !scheduler.isShutdown();
    } catch (SchedulerException e) {
      return false;
    }
  }

  String state() {
    try {
      if (scheduler.isShutdown()) {
        return "stopped";
      }
      return scheduler.isStarted() && !scheduler.isInStandbyMode() ? "running" : "standby";
    } catch (SchedulerException e) {
      return "unknown";
    }
  }

  /**
   * Stops firing; runs in progress belong to the runner. Waits for fires Quartz's threads are handing
   * over (milliseconds: they never run job code): without the wait those threads reach the job store
   * after it shut down and log an ERROR with a stack trace for each fire in flight at every stop.
   */
  @Override
  public void close() {
    try {
      scheduler.shutdown(true);
    } catch (SchedulerException e) {
      log.warn("Quartz did not shut down cleanly: {}", e.getMessage());
    }
  }

  Duration misfireGrace() {
    return config.misfireGrace();
  }

  /** Hands Quartz connections from Pulse's pool. */
  private static final class Provider implements ConnectionProvider {
    private final DataSource ds;

    Provider(DataSource ds) {
      this.ds = ds;
    }

    @Override
    public Connection getConnection() throws SQLException {
      return ds.getConnection();
    }

    @Override
    public void shutdown() {
      // the pool belongs to Database, which closes it after Quartz
    }

    @Override
    public void initialize() {
      // the pool is ready when Database hands it over
    }
  }
}
