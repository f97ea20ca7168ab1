package pulse.jobs.prompt;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pulse.api.Durations;

/**
 * Runs due pulses. One poller thread ({@code pulse-prompt-poller}) claims due pulses — best priority
 * first, then oldest — up to {@code PULSE_MAX_CONCURRENT}, hands each to a worker thread, renews the
 * leases of running pulses and takes back pulses whose executor died. It sleeps until the next pulse
 * is due (at most the poll interval) and wakes at once when a pulse is scheduled or a run ends, so
 * a pulse due now starts within milliseconds rather than on the next minute.
 */
final class PromptExecutor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PromptExecutor.class);

  /** What the executor reports when a pulse reached a final state (or will be retried). */
  record Outcome(PromptPulse pulse, Attempt attempt, PulseStatus status, Instant retryAt) {}

  private final PromptQueue queue;
  private final ExecutorConfig config;
  private final PromptRunner runner;
  private final Clock clock;
  private final Consumer<Outcome> onOutcome;
  private final String owner;
  private final Map<Long, Running> running = new ConcurrentHashMap<>();
  private final ExecutorService workers;
  private final Object signal = new Object();
  private final Thread poller;
  private boolean woken;
  private volatile boolean stopping;
  private Instant nextRenew = Instant.MIN;
  private Instant nextReclaim = Instant.MIN;

  /** A pulse being run here; {@code stop} says why it was asked to stop, if it was. */
  private static final class Running {
    volatile String stop;
  }

  PromptExecutor(PromptQueue queue, ExecutorConfig config, PromptRunner runner, Clock clock, Consumer<Outcome> onOutcome) {
    this.queue = queue;
    this.config = config;
    this.runner = runner;
    this.clock = clock;
    this.onOutcome = onOutcome;
    this.owner = ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
    this.workers = Executors.newFixedThreadPool(config.maxConcurrent(), named("pulse-prompt-run-"));
    this.poller = new Thread(this::pollLoop, "pulse-prompt-poller");
    this.poller.setDaemon(true);
  }

  void start() {
    poller.start();
    log.info("Prompt executor started: up to {} at a time, command {}, lease {}", config.maxConcurrent(),
        config.command(), Durations.format(config.lease()));
  }

  /** Look again now: a pulse was scheduled or a run ended. */
  void wake() {
    synchronized (signal) {
      woken = true;
      signal.notifyAll();
    }
  }

  int runningCount() {
    return running.size();
  }

  private void pollLoop() {
    while (!stopping) {
      long waitMillis = config.pollInterval().toMillis();
      try {
        waitMillis = pollOnce();
      } catch (RuntimeException e) {
        log.warn("Prompt executor could not read the queue: {}. Will try again in {}.", e.getMessage(),
            Durations.format(config.pollInterval()));
      }
      synchronized (signal) {
        if (!woken && !stopping && waitMillis > 0) {
          try {
            signal.wait(waitMillis);
          } catch (InterruptedException e) {
            return;
          }
        }
        woken = false;
      }
    }
  }

  /** One round; returns how long to sleep before the next. */
  long pollOnce() {
    Instant now = clock.instant();
    if (!now.isBefore(nextRenew)) {
      renewLeases(now);
      nextRenew = now.plus(config.lease().dividedBy(3));
    }
    if (!now.isBefore(nextReclaim)) {
      reclaimExpired(now);
      nextReclaim = now.plus(config.lease().dividedBy(2));
    }
    int free = config.maxConcurrent() - running.size();
    if (free > 0) {
      List<PromptPulse> claimed = queue.claimDue(owner, now, now.plus(config.lease()), free);
      for (PromptPulse p : claimed) {
        running.put(p.id(), new Running());
        workers.execute(() -> execute(p));
      }
      free -= claimed.size();
    }
    long wait = Math.min(config.pollInterval().toMillis(), config.lease().dividedBy(3).toMillis());
    if (free > 0) {
      Optional<Instant> due = queue.nextDue();
      if (due.isPresent()) {
        // never 0: a due pulse another executor claimed first must not make this loop spin
        wait = Math.max(5, Math.min(wait, Duration.between(clock.instant(), due.get()).toMillis()));
      } else if (running.isEmpty()) {
        // Nothing waiting, nothing running: a new pulse wakes this thread, so only the lease reclaim
        // has a deadline. Polling an empty queue every second was most of the daemon's idle CPU.
        wait = Math.max(wait, Duration.between(clock.instant(), nextReclaim).toMillis());
      }
    }
    return wait;
  }

  private void renewLeases(Instant now) {
    for (Map.Entry<Long, Running> e : running.entrySet()) {
      if (!queue.renew(e.getKey(), owner, now.plus(config.lease()), now) && e.getValue().stop == null) {
        log.warn("Pulse {} lost its lease (the database was unreachable longer than {}); stopping its command so it"
            + " never runs twice at once. It is retried by whoever reclaimed it.", e.getKey(), Durations.format(config.lease()));
        e.getValue().stop = "lease lost";
      }
    }
  }

  private void reclaimExpired(Instant now) {
    for (PromptQueue.Expired e : queue.expired(now)) {
      stopOrphan(e);
      queue.reclaim(e, config.maxAttempts(), now, now).ifPresent(status -> {
        if (status == PulseStatus.PENDING) {
          log.warn("Pulse {} was left running by a stopped executor (crash or kill -9); its lease expired, it runs again"
              + " (attempt {} of {})", e.id(), e.attempts() + 1, config.maxAttempts());
        } else {
          log.warn("Pulse {} was left running by a stopped executor and has no attempts left: failed", e.id());
        }
      });
    }
  }

  /**
   * A command started by a daemon that was killed keeps running as an orphan. Before its pulse runs
   * again, stop it: the same pid with the same start time is the same process, not a reused pid.
   */
  private static void stopOrphan(PromptQueue.Expired e) {
    if (e.childPid() == null || e.childStarted() == null) {
      return;
    }
    Optional<ProcessHandle> h = ProcessHandle.of(e.childPid());
    if (h.isPresent() && h.get().isAlive()
        && h.get().info().startInstant().map(Instant::toString).orElse("").equals(e.childStarted())) {
      log.warn("Pulse {}: its command (pid {}) outlived the executor that started it; stopping it before retrying", e.id(),
          e.childPid());
      h.get().descendants().forEach(ProcessHandle::destroyForcibly);
      h.get().destroyForcibly();
      try {
        h.get().onExit().get(5, TimeUnit.SECONDS);
      } catch (Exception ex) {
        log.warn("Pulse {}: pid {} did not exit after SIGKILL: {}", e.id(), e.childPid(), ex.toString());
      }
    }
  }

  private void execute(PromptPulse p) {
    Running r = running.get(p.id());
    try {
      if (r.stop != null) {
        settle(p, r, null);
        return;
      }
      Attempt a = runner.run(p, () -> r.stop != null, h -> queue.recordChild(p.id(), owner, h.pid(),
          h.info().startInstant().map(Instant::toString).orElse(null)));
      settle(p, r, a);
    } catch (RuntimeException | Error e) {
      log.error("Pulse {}: the executor failed ({}). The pulse stays leased and is retried when its lease expires.", p.id(),
          e.toString());
    } finally {
      running.remove(p.id());
      wake();
    }
  }

  private void settle(PromptPulse p, Running r, Attempt a) {
    Instant now = clock.instant();
    if (r.stop != null) {
      if (stopping && queue.release(p.id(), owner, "the daemon stopped while this pulse ran; it runs again after start", now)) {
        log.info("Pulse {} was stopped by shutdown and goes back to the queue", p.id());
      }
      return; // lease lost: the pulse belongs to whoever reclaimed it
    }
    if (a.ok()) {
      finish(p, a, PulseStatus.COMPLETED, null, now);
      log.info("Pulse {} completed in {} ms", p.id(), a.runMillis());
    } else if (p.attempts() < config.maxAttempts()) {
      Instant next = now.plus(config.backoffAfter(p.attempts()));
      finish(p, a, PulseStatus.PENDING, next, now);
      log.warn("Pulse {} failed (attempt {} of {}): {}. Will retry at {}.", p.id(), p.attempts(), config.maxAttempts(),
          a.error(), next);
    } else {
      finish(p, a, PulseStatus.FAILED, null, now);
      log.warn("Pulse {} failed after {} attempt(s): {}", p.id(), p.attempts(), a.error());
    }
  }

  private void finish(PromptPulse p, Attempt a, PulseStatus status, Instant retryAt, Instant now) {
    Instant scheduled = retryAt != null ? retryAt : p.scheduledAt();
    if (!queue.finish(p.id(), owner, a, status, scheduled, now)) {
      log.warn("Pulse {}: its lease was taken back before the result could be stored; the other holder decides", p.id());
      return;
    }
    try {
      onOutcome.accept(new Outcome(p, a, status, retryAt));
    } catch (RuntimeException e) {
      log.warn("Pulse {}: an outcome listener failed: {}", p.id(), e.toString());
    }
  }

  /** Stops claiming, asks running commands to stop, and gives their pulses back to the queue. */
  @Override
  public void close() {
    stopping = true;
    wake();
    try {
      poller.join(5_000); // no claim after this: every claimed pulse is in 'running'
      running.values().forEach(r -> r.stop = "shutdown");
      workers.shutdown();
      if (!workers.awaitTermination(15, TimeUnit.SECONDS)) {
        log.warn("Prompt commands still running after 15s; their pulses are retried when their leases expire");
        workers.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
