package pulse.core;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pulse.api.Durations;
import pulse.api.Extension;
import pulse.api.Job;
import pulse.api.JobCancelledException;
import pulse.api.JobFailedException;
import pulse.api.RunEvent;
import pulse.api.Settings;
import pulse.api.Trigger;
import pulse.config.Redactor;
import pulse.store.NewRun;
import pulse.store.Outcome;
import pulse.store.RunHistory;
import pulse.store.RunResult;
import pulse.telemetry.JobMetrics;
import pulse.telemetry.RunSpan;
import pulse.telemetry.Telemetry;

/**
 * Runs jobs: the one place that catches {@link Throwable} from job code. Each run gets its own
 * thread, its span, a history row written before the job starts, a timeout, and an outcome recorded
 * exactly once. A run never overlaps another run of the same job.
 */
public final class JobRunner implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(JobRunner.class);
  /** After a cancel, how long a run gets to stop before it is recorded as ended anyway. */
  static final Duration CANCEL_WAIT = Duration.ofSeconds(5);
  /**
   * The longest a fire waits for its due time. Fires come at most {@link QuartzScheduling#FIRE_AHEAD}
   * early; the bound only keeps a caller with a far-future time (or a clock that is not the
   * system's) from parking a thread for good.
   */
  static final Duration MAX_EARLY = Duration.ofSeconds(10);

  private final RunHistory history;
  private final Telemetry telemetry;
  private final JobMetrics metrics;
  private final Clock clock;
  private final Settings settings;
  private volatile Instant catchUpUntil;
  private final Set<String> owedCatchUp = ConcurrentHashMap.newKeySet();
  private final Map<String, Registered> jobs = new ConcurrentHashMap<>();
  private final Map<Long, RunContext> active = new ConcurrentHashMap<>();
  private final Map<Long, Prepared> prepared = new ConcurrentHashMap<>();
  private final ExecutorService workers = Executors.newCachedThreadPool(named("pulse-run-", true));
  private final ScheduledThreadPoolExecutor timers = timers();
  private volatile boolean closing;
  private volatile List<Extension> observers = List.of();

  /** A job as the runner holds it. */
  private static final class Registered {
    final Job job;
    final Duration timeout;
    final AtomicBoolean running = new AtomicBoolean();
    final AtomicBoolean overlapLogged = new AtomicBoolean();

    Registered(Job job, Duration timeout) {
      this.job = job;
      this.timeout = timeout;
    }
  }

  public JobRunner(RunHistory history, Telemetry telemetry, Clock clock, Settings settings, Instant daemonStart) {
    this.history = history;
    this.telemetry = telemetry;
    this.metrics = telemetry.metrics();
    this.clock = clock;
    this.settings = settings;

    this.catchUpUntil = daemonStart.minusNanos(1);
  }

  /** Extensions told of every run's start and end (alerting, pings). */
  public void observe(List<Extension> extensions) {
    observers = List.copyOf(extensions);
  }

  public void register(Job job, Duration timeout) {
    jobs.put(job.id(), new Registered(job, timeout));
  }

  public boolean isRunning(String jobId) {
    Registered r = jobs.get(jobId);
    return r != null && r.running.get();
  }

  /**
   * Starts a run unless one is going. Returns the run id, or empty when the fire was skipped.
   *
   * <p>Scheduled fires arrive up to {@link QuartzScheduling#FIRE_AHEAD} before they are due: the
   * run's history row is written then, and the job starts at its due time. Whether the job is free
   * is decided at the due time: a fire that finds the previous run still going waits until then
   * before it gives up, and a manual run asked for in between goes first (the scheduled run is then
   * skipped as an overlap, its row removed). A manual run takes the job at once, or is refused;
   * one whose history row cannot be written throws that error to its caller.
   *
   * @param scheduledTime when the run is due; a run never starts before it
   */
  public Optional<Long> fire(String jobId, Trigger trigger, Instant scheduledTime) {
    Registered r = jobs.get(jobId);
    if (r == null || closing) {
      return Optional.empty();
    }
    boolean manual = trigger == Trigger.MANUAL;
    boolean free = manual ? r.running.compareAndSet(false, true)
        : !r.running.get() || (waitUntil(scheduledTime) && !r.running.get());
    if (!free) {
      overlap(r, trigger, scheduledTime);
      return Optional.empty();
    }
    try {
      return Optional.of(prepare(r, trigger, scheduledTime, manual));
    } catch (RuntimeException e) {
      if (manual) {
        // the caller asked for this run and hears why it did not start (a full disk: 503), not "already running"
        r.running.set(false);
        throw e;
      }
      if (pulse.store.StoreUnavailableException.in(e).isPresent()) {
        log.warn("Could not start a run of {}: the store is faulted (logged once above). Will try again at its next fire.", jobId);
      } else {
        log.error("Could not start a run of {}: {}. Will try again at its next fire.", jobId, Redactor.redactText(e.getMessage()), e);
      }
      return Optional.empty();
    }
  }

  private void overlap(Registered r, Trigger trigger, Instant scheduledTime) {
    metrics.recordSkip(r.job.id(), "overlap");
    if (r.overlapLogged.compareAndSet(false, true)) {
      log.warn("Skipped the {} fire of {} due at {}: its previous run is still going. Further overlapping fires"
          + " of this run are skipped without a log line.", trigger.label(), r.job.id(), scheduledTime);
    }
  }

  /** A fire that did not start a run for a reason decided outside the runner (coalesced, misfire). */
  void recordSkip(String jobId, String reason) {
    metrics.recordSkip(jobId, reason);
  }

  /**
   * The first fire of a job that missed fires while Pulse was down, if it was due before the
   * scheduler started, is its catch-up. Start-up takes a while, so a fire that fell due during
   * start-up may replace (coalesce) the one start-up moved the trigger to: it is the catch-up too.
   */
  public Trigger classify(String jobId, Instant scheduledTime) {
    if (!scheduledTime.isAfter(catchUpUntil) && owedCatchUp.remove(jobId)) {
      return Trigger.CATCH_UP;
    }
    return Trigger.SCHEDULE;
  }

  /** Set by the scheduler at start-up: {@code jobId} missed fires while Pulse was down. */
  void owesCatchUp(String jobId) {
    owedCatchUp.add(jobId);
  }

  /** Set by the scheduler just before it starts firing. */
  void catchUpUntil(Instant startTime) {
    this.catchUpUntil = startTime;
  }

  /**
   * Records the run, then has a worker start it at its due time (now, if that has passed). The row
   * is committed before the job can start, so a run is never left out of the history, even when the
   * daemon dies while it runs; doing that ahead of the due time keeps the commit off the start.
   */
  private long prepare(Registered r, Trigger trigger, Instant scheduled, boolean claimed) {
    Instant now = clock.instant();
    Instant startAt = trigger == Trigger.MANUAL || !scheduled.isAfter(now) ? now : scheduled;
    long runId = history.begin(new NewRun(r.job.id(), trigger.label(), scheduled, startAt, null));
    Prepared p = new Prepared(r, runId, trigger, scheduled, claimed);
    prepared.put(runId, p);
    try {
      workers.execute(() -> {
        waitUntil(startAt);
        if (closing) {
          abandon(p);
        } else if (prepared.remove(runId) != null) {
          if (claimed || r.running.compareAndSet(false, true)) {
            startOrFail(p);
          } else {
            skipAtDueTime(p);
          }
        }
      });
    } catch (RuntimeException e) { // rejected: the runner shut down meanwhile
      abandon(p);
    }
    return runId;
  }

  /**
   * A run whose history row is written and whose job has not started yet.
   *
   * @param claimed whether it holds the job's running flag already (manual runs); a scheduled run
   *     takes it at its due time
   */
  private record Prepared(Registered registered, long runId, Trigger trigger, Instant scheduled, boolean claimed) {}

  /** At its due time the job was running after all (a manual run went first): not a run, no row. */
  private void skipAtDueTime(Prepared p) {
    overlap(p.registered(), p.trigger(), p.scheduled());
    try {
      history.discard(p.runId());
    } catch (RuntimeException e) {
      log.warn("Could not remove the row of skipped run {} of {}: {}", p.runId(), p.registered().job.id(), e.getMessage());
    }
  }

  /** On the worker, at the due time: the span and the timeout, then the job. */
  private void startOrFail(Prepared p) {
    Registered r = p.registered();
    r.overlapLogged.set(false);
    RunContext ctx;
    try {
      ctx = begin(p);
    } catch (RuntimeException e) { // before the job ran: this run fails, the job's next fire is not blocked
      log.error("Could not start run {} of {}: {}", p.runId(), r.job.id(), Redactor.redactText(e.getMessage()), e);
      endUnstarted(p, null, Outcome.FAILED, e.getClass().getName(), Redactor.redactText(String.valueOf(e.getMessage())), true);
      return;
    }
    execute(r, ctx);
  }

  private RunContext begin(Prepared p) {
    Registered r = p.registered();
    String id = r.job.id();
    Instant startedAt = clock.instant();
    Instant scheduled = p.scheduled();
    Trigger trigger = p.trigger();
    Duration lateness = trigger == Trigger.MANUAL || startedAt.isBefore(scheduled) ? Duration.ZERO : Duration.between(scheduled, startedAt);
    Span span = RunSpan.start(telemetry.tracer(), id, trigger.label(), scheduled, lateness);
    try {
      span.setAttribute("pulse.run.id", p.runId());
      RunContext ctx = new RunContext(id, p.runId(), settings, clock, span, trigger, scheduled, startedAt, r.timeout);
      ctx.timeoutTimer = timers.schedule(() -> timeout(ctx), r.timeout.toMillis(), TimeUnit.MILLISECONDS);
      active.put(p.runId(), ctx);
      if (trigger != Trigger.MANUAL) {
        metrics.recordLateness(id, lateness);
      }
      try (Scope ignored = span.makeCurrent()) { // the line carries the run's trace id
        log.debug("Run {} of {} started ({}, {} late)", p.runId(), id, trigger.label(), Durations.format(lateness));
      }
      return ctx;
    } catch (RuntimeException e) {
      active.remove(p.runId());
      RunSpan.end(span, Outcome.FAILED.label(), true, e.getClass().getName(), e.getMessage(), e);
      throw e;
    }
  }

  /** A prepared run that will not start because the daemon is stopping: its row says so. */
  private void abandon(Prepared p) {
    if (prepared.remove(p.runId()) == null) {
      return; // started, or abandoned by the other side
    }
    // now as its start too (duration zero): the planned start may still be ahead
    endUnstarted(p, clock.instant(), Outcome.INTERRUPTED, "DaemonStopped", "the daemon stopped before the run was due", p.claimed());
  }

  /**
   * Ends the row of a run whose job never started, and gives the job's running flag back if the run
   * held it.
   *
   * @param startedAt what to record as its start and end, or null to keep the planned start
   */
  private void endUnstarted(Prepared p, Instant startedAt, Outcome outcome, String type, String message, boolean release) {
    try {
      Instant ended = startedAt != null ? startedAt : clock.instant();
      history.finish(p.runId(), new RunResult(startedAt, ended, outcome, type, message, null, null, Map.of()));
    } catch (RuntimeException e) {
      log.error("Could not record that run {} of {} did not start: {}", p.runId(), p.registered().job.id(), e.getMessage());
    } finally {
      if (release) {
        p.registered().running.set(false);
      }
    }
  }

  /**
   * Parks until the clock reaches {@code when} (so a run never starts before its due time by the
   * clock it is recorded with), for at most {@link #MAX_EARLY}; false if interrupted first.
   */
  private boolean waitUntil(Instant when) {
    long limit = System.nanoTime() + MAX_EARLY.toNanos();
    for (long left = Duration.between(clock.instant(), when).toNanos(); left > 0;
        left = Duration.between(clock.instant(), when).toNanos()) {
      long cap = limit - System.nanoTime();
      if (cap <= 0) {
        break;
      }
      java.util.concurrent.locks.LockSupport.parkNanos(Math.min(left, cap));
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  private void execute(Registered r, RunContext ctx) {
    ctx.thread = Thread.currentThread();
    Thread.currentThread().setName("pulse-run-" + ctx.jobId() + "-" + ctx.runId());
    Outcome outcome;
    Throwable error = null;
    try (Scope ignored = ctx.span().makeCurrent()) {
      if (ctx.isCancelled()) {
        throw new JobCancelledException("cancelled before it started");
      }
      notify(event(ctx, Outcome.RUNNING, null, null, null), true);
      r.job.run(ctx);
      outcome = ctx.partialWarning() != null ? Outcome.PARTIAL : Outcome.SUCCESS;
    } catch (VirtualMachineError e) {
      finish(ctx, Outcome.FAILED, e);
      throw e;
    } catch (Throwable t) {
      CancelReason reason = ctx.cancelReason();
      if (reason != null && (t instanceof InterruptedException || t instanceof JobCancelledException || isInterruption(t))) {
        outcome = reason.outcome;
      } else {
        outcome = Outcome.FAILED;
      }
      error = t;
    } finally {
      Thread.interrupted(); // a cancel may have interrupted us after the job returned
      ctx.thread = null;
      Thread.currentThread().setName("pulse-run-idle");
    }
    try {
      finish(ctx, outcome, error);
    } finally {
      active.remove(ctx.runId());
      r.running.set(false);
    }
  }

  private static boolean isInterruption(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof InterruptedException || c instanceof java.nio.channels.ClosedByInterruptException
          || c instanceof java.io.InterruptedIOException) {
        return true;
      }
    }
    return false;
  }

  private void timeout(RunContext ctx) {
    if (!active.containsKey(ctx.runId()) || !ctx.cancel(CancelReason.TIMEOUT)) {
      return;
    }
    log.warn("Run {} of {} passed its timeout of {}; asking it to stop.", ctx.runId(), ctx.jobId(), Durations.format(ctx.timeout()));
    timers.schedule(() -> {
      if (active.containsKey(ctx.runId())) {
        finish(ctx, Outcome.TIMEOUT, null);
        log.error("Run {} of {} did not stop within {} of being cancelled; recorded as timed out. Its thread is"
            + " left running and the next fire is skipped until it ends.", ctx.runId(), ctx.jobId(), Durations.format(CANCEL_WAIT));
      }
    }, CANCEL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void finish(RunContext ctx, Outcome outcome, Throwable error) {
    if (!ctx.markFinished()) {
      return;
    }
    java.util.concurrent.Future<?> timer = ctx.timeoutTimer;
    if (timer != null) {
      timer.cancel(false);
    }
    Instant ended = clock.instant();
    Duration took = Duration.between(ctx.startedAt(), ended);
    String type = null;
    String message = null;
    if (error != null) {
      type = error.getClass().getName();
      message = Redactor.redactText(String.valueOf(error.getMessage() == null ? error : error.getMessage()));
    } else if (outcome == Outcome.TIMEOUT) {
      type = "Timeout";
      message = "did not finish within " + Durations.format(ctx.timeout());
    } else if (outcome == Outcome.INTERRUPTED) {
      type = "DaemonStopped";
      message = "the daemon stopped while this run was going";
    } else if (outcome == Outcome.PARTIAL) {
      message = Redactor.redactText(ctx.partialWarning());
    }
    if (outcome == Outcome.TIMEOUT && error != null) {
      message = "did not finish within " + Durations.format(ctx.timeout()) + " (" + message + ")";
    }
    String output = Redactor.redactText(ctx.outputText());
    try {
      history.finish(ctx.runId(), new RunResult(ctx.startedAt(), ended, outcome, type, message, output,
          traceId(ctx.span()), ctx.summarySnapshot()));
    } catch (RuntimeException e) {
      log.error("Could not record the end of run {} of {}: {}", ctx.runId(), ctx.jobId(), e.getMessage(), e);
    }
    metrics.recordRun(ctx.jobId(), outcome.label(), took);
    if (outcome == Outcome.SUCCESS || outcome == Outcome.PARTIAL) {
      metrics.recordSuccess(ctx.jobId(), ended);
    }
    // Current span: the end line carries the run's trace id (finish may run on the timeout thread).
    try (Scope ignored = ctx.span().makeCurrent()) {
      logEnd(ctx, outcome, error, message, took);
    }
    RunSpan.end(ctx.span(), outcome.label(), outcome.isFailure(), type, message, outcome == Outcome.FAILED ? error : null);
    notify(event(ctx, outcome, message, output, ended), false);
  }

  private static RunEvent event(RunContext ctx, Outcome outcome, String message, String output, Instant ended) {
    return new RunEvent(ctx.jobId(), ctx.runId(), ctx.trigger(), ctx.scheduledTime(), ctx.startedAt(), ended,
        outcome.label(), outcome.isFailure(), message, output, traceId(ctx.span()));
  }

  /** Observer code is extension code: it may throw, and must not change the run's outcome. */
  private void notify(RunEvent e, boolean started) {
    for (Extension x : observers) {
      try {
        if (started) {
          x.runStarted(e);
        } else {
          x.runFinished(e);
        }
      } catch (RuntimeException | LinkageError ex) {
        log.warn("Extension {} failed to handle the {} of run {} of {}: {}", x.name(), started ? "start" : "end",
            e.runId(), e.jobId(), ex.toString());
      }
    }
  }

  private static void logEnd(RunContext ctx, Outcome outcome, Throwable error, String message, Duration took) {
    String id = ctx.jobId();
    String d = Durations.format(took);
    switch (outcome) {
      case SUCCESS -> log.info("Run {} of {} succeeded in {}", ctx.runId(), id, d);
      case PARTIAL -> log.warn("Run {} of {} finished with a warning in {}: {}", ctx.runId(), id, d, message);
      case FAILED -> {
        if (error instanceof JobFailedException || error instanceof Exception) {
          log.error("Run {} of {} failed after {}: {}", ctx.runId(), id, d, message,
              error instanceof JobFailedException ? null : error);
        } else {
          log.error("Run {} of {} failed after {} with {}: {}", ctx.runId(), id, d, error, message, error);
        }
      }
      default -> log.warn("Run {} of {} ended as {} after {}: {}", ctx.runId(), id, outcome.label(), d, message);
    }
  }

  /** Timeouts waiting to fire: one per run that is going. */
  int pendingTimeouts() {
    return timers.getQueue().size();
  }

  /** Runs that are going now. */
  public List<Long> activeRuns() {
    return List.copyOf(active.keySet());
  }

  /**
   * Asks every run to stop, waits up to {@code grace} for them, then records what is left as
   * interrupted. New fires are refused from the first moment.
   */
  public void shutdown(Duration grace) {
    closing = true;
    List.copyOf(prepared.values()).forEach(this::abandon);
    if (!active.isEmpty()) {
      log.info("Stopping: asking {} running job(s) to stop; waiting up to {}", active.size(), Durations.format(grace));
    }
    active.values().forEach(c -> c.cancel(CancelReason.SHUTDOWN));
    long deadline = System.nanoTime() + grace.toNanos();
    while (!active.isEmpty() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    for (RunContext c : active.values()) {
      finish(c, Outcome.INTERRUPTED, null);
    }
    workers.shutdownNow();
    timers.shutdownNow();
  }

  @Override
  public void close() {
    shutdown(Duration.ZERO);
  }

  /**
   * One thread for every run's timeout. A cancelled timeout leaves the queue at once: otherwise a
   * job that runs every second with a one-hour timeout keeps 3,600 finished runs (context, span)
   * reachable, and they fill the old generation.
   */
  private static ScheduledThreadPoolExecutor timers() {
    ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, named("pulse-timeouts", true));
    t.setRemoveOnCancelPolicy(true);
    return t;
  }

  static ThreadFactory named(String prefix, boolean daemon) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix.endsWith("-") ? prefix + n.incrementAndGet() : prefix);
      t.setDaemon(daemon);
      return t;
    };
  }

  /** Null without telemetry: an all-zero id would link to no trace. */
  private static String traceId(io.opentelemetry.api.trace.Span span) {
    return span.getSpanContext().isValid() ? span.getSpanContext().getTraceId() : null;
  }
}
