package pulse.core;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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

  private final RunHistory history;
  private final Telemetry telemetry;
  private final JobMetrics metrics;
  private final Clock clock;
  private final Settings settings;
  private volatile Instant catchUpUntil;
  private final Map<String, Registered> jobs = new ConcurrentHashMap<>();
  private final Map<Long, RunContext> active = new ConcurrentHashMap<>();
  private final ExecutorService workers = Executors.newCachedThreadPool(named("pulse-run-", true));
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(named("pulse-timeouts", true));
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
   * @param scheduledTime when the run was due
   */
  public Optional<Long> fire(String jobId, Trigger trigger, Instant scheduledTime) {
    Registered r = jobs.get(jobId);
    if (r == null || closing) {
      return Optional.empty();
    }
    if (!r.running.compareAndSet(false, true)) {
      metrics.recordSkip(jobId, "overlap");
      if (r.overlapLogged.compareAndSet(false, true)) {
        log.warn("Skipped the {} fire of {} due at {}: its previous run is still going. Further overlapping fires"
            + " of this run are skipped without a log line.", trigger.label(), jobId, scheduledTime);
      }
      return Optional.empty();
    }
    r.overlapLogged.set(false);
    try {
      return Optional.of(start(r, trigger, scheduledTime));
    } catch (RuntimeException e) {
      r.running.set(false);
      log.error("Could not start a run of {}: {}. Will try again at its next fire.", jobId, Redactor.redactText(e.getMessage()), e);
      return Optional.empty();
    }
  }

  /**
   * A fire due before the scheduler was synced at startup is a catch-up of a fire missed while
   * Pulse was down. Start-up takes a while, so the daemon's start time alone would call a fire
   * missed during start-up a plain schedule.
   */
  public Trigger classify(Instant scheduledTime) {
    return scheduledTime.isAfter(catchUpUntil) ? Trigger.SCHEDULE : Trigger.CATCH_UP;
  }

  /** Set by the scheduler when it computes which missed fires to run. */
  void catchUpUntil(Instant syncTime) {
    this.catchUpUntil = syncTime;
  }

  private long start(Registered r, Trigger trigger, Instant scheduled) {
    String id = r.job.id();
    Instant startedAt = clock.instant();
    Duration lateness = trigger == Trigger.MANUAL || startedAt.isBefore(scheduled) ? Duration.ZERO : Duration.between(scheduled, startedAt);
    Span span = RunSpan.start(telemetry.tracer(), id, trigger.label(), scheduled, lateness);
    long runId;
    try {
      runId = history.begin(new NewRun(id, trigger.label(), scheduled, startedAt, traceId(span)));
    } catch (RuntimeException e) {
      RunSpan.end(span, Outcome.FAILED.label(), e, Map.of());
      throw e;
    }
    span.setAttribute("pulse.run.id", runId);
    RunContext ctx = new RunContext(id, runId, settings, clock, span, trigger, scheduled, startedAt, r.timeout);
    active.put(runId, ctx);
    log.debug("Run {} of {} started ({}, {} late)", runId, id, trigger.label(), Durations.format(lateness));
    workers.execute(() -> execute(r, ctx, lateness));
    timers.schedule(() -> timeout(ctx), r.timeout.toMillis(), TimeUnit.MILLISECONDS);
    return runId;
  }

  private void execute(Registered r, RunContext ctx, Duration lateness) {
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
      finish(ctx, Outcome.FAILED, e, lateness);
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
      finish(ctx, outcome, error, lateness);
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
        finish(ctx, Outcome.TIMEOUT, null, Duration.ZERO);
        log.error("Run {} of {} did not stop within {} of being cancelled; recorded as timed out. Its thread is"
            + " left running and the next fire is skipped until it ends.", ctx.runId(), ctx.jobId(), Durations.format(CANCEL_WAIT));
      }
    }, CANCEL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void finish(RunContext ctx, Outcome outcome, Throwable error, Duration lateness) {
    if (!ctx.markFinished()) {
      return;
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
      history.finish(ctx.runId(), new RunResult(ended, outcome, type, message, output, ctx.summarySnapshot()));
    } catch (RuntimeException e) {
      log.error("Could not record the end of run {} of {}: {}", ctx.runId(), ctx.jobId(), e.getMessage(), e);
    }
    metrics.recordRun(ctx.jobId(), outcome.label(), took, lateness);
    if (outcome == Outcome.SUCCESS || outcome == Outcome.PARTIAL) {
      metrics.recordSuccess(ctx.jobId(), ended);
    }
    logEnd(ctx, outcome, error, message, took);
    RunSpan.end(ctx.span(), outcome.label(), outcome == Outcome.FAILED ? error : null, ctx.summarySnapshot());
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
      finish(c, Outcome.INTERRUPTED, null, Duration.ZERO);
    }
    workers.shutdownNow();
    timers.shutdownNow();
  }

  @Override
  public void close() {
    shutdown(Duration.ZERO);
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
