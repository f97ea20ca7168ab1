package pulse.jobs.health;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import pulse.api.Durations;

/**
 * Runs checks in parallel on a bounded pool, each as a child span {@code pulse.check <name>} of the
 * caller's context, each cut off at its timeout counted from when it started (not from when it was
 * queued). A probe stuck in a call that ignores interruption keeps its thread, but its result is
 * still "timed out" on time: the run never waits for it.
 */
final class CheckRunner {
  static final AttributeKey<String> CHECK = AttributeKey.stringKey("check");
  /** Lets a probe's own timeout, which gives the better message, fire before the runner's. */
  static final Duration SLACK = Duration.ofSeconds(1);

  private final Tracer tracer;
  private final DoubleHistogram latency;
  private final Clock clock;
  private final int parallelism;

  /**
   * @param latency where latencies go, in seconds; null to record none
   */
  CheckRunner(Tracer tracer, DoubleHistogram latency, Clock clock, int parallelism) {
    this.tracer = tracer;
    this.latency = latency;
    this.clock = clock;
    this.parallelism = Math.max(1, parallelism);
  }

  /** Runs every check once; results come in the order of the checks. */
  List<CheckResult> runAll(List<Check> checks, Context parent) throws InterruptedException {
    if (checks.isEmpty()) {
      return List.of();
    }
    int threads = Math.min(parallelism, checks.size());
    ExecutorService pool = Executors.newFixedThreadPool(threads, daemonThreads("pulse-check-"));
    ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(daemonThreads("pulse-check-timeouts-"));
    try {
      List<CompletableFuture<CheckResult>> futures = new ArrayList<>();
      Duration longest = Duration.ZERO;
      for (Check c : checks) {
        CompletableFuture<CheckResult> f = new CompletableFuture<>();
        futures.add(f);
        pool.execute(() -> probeOne(c, parent, f, timers));
        longest = longest.compareTo(c.definition().timeout()) > 0 ? longest : c.definition().timeout();
      }
      // Every started check ends by its timeout; this only bounds checks that never got a thread.
      int rounds = (checks.size() + threads - 1) / threads;
      long deadline = System.nanoTime() + longest.plus(SLACK).multipliedBy(rounds).plusSeconds(5).toNanos();
      List<CheckResult> out = new ArrayList<>();
      for (int i = 0; i < checks.size(); i++) {
        CheckDefinition d = checks.get(i).definition();
        try {
          out.add(futures.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
          out.add(new CheckResult(d.name(), d.kind().label(), d.target(), CheckResult.FAILED,
              "did not start: other checks held every worker until the run's limit (hung probes?)",
              clock.instant(), Duration.ZERO, null));
        } catch (ExecutionException e) {
          throw new IllegalStateException("a check future failed: " + e.getCause(), e.getCause());
        }
      }
      return out;
    } finally {
      pool.shutdownNow();
      timers.shutdownNow();
    }
  }

  private void probeOne(Check c, Context parent, CompletableFuture<CheckResult> f, ScheduledExecutorService timers) {
    CheckDefinition d = c.definition();
    Instant at = clock.instant();
    if (c instanceof Checks.SkippedCheck s) {
      f.complete(new CheckResult(d.name(), d.kind().label(), d.target(), CheckResult.SKIPPED, s.why(), at, Duration.ZERO, null));
      return;
    }
    Span span = tracer.spanBuilder("pulse.check " + d.name()).setParent(parent)
        .setAttribute("pulse.check.name", d.name())
        .setAttribute("pulse.check.kind", d.kind().label())
        .setAttribute("pulse.check.target", d.target())
        .startSpan();
    String traceId = span.getSpanContext().isValid() ? span.getSpanContext().getTraceId() : null;
    Thread me = Thread.currentThread();
    Object lock = new Object();
    boolean[] done = {false};
    long t0 = System.nanoTime();
    ScheduledFuture<?> timer = timers.schedule(() -> {
      synchronized (lock) {
        if (!done[0] && f.complete(result(d, CheckResult.FAILED, "timed out after " + text(d.timeout()), at,
            Duration.ofNanos(System.nanoTime() - t0), traceId))) {
          me.interrupt();
        }
      }
    }, d.timeout().plus(SLACK).toMillis(), TimeUnit.MILLISECONDS);
    String state;
    String message;
    try (Scope ignored = span.makeCurrent()) {
      message = c.probe();
      state = CheckResult.OK;
    } catch (CheckFailedException e) {
      state = CheckResult.FAILED;
      message = e.getMessage();
    } catch (InterruptedException e) {
      state = CheckResult.FAILED;
      message = "interrupted (the run was cancelled, or the check timed out)";
    } catch (IOException e) {
      state = CheckResult.FAILED;
      message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    } catch (Exception | LinkageError e) {
      state = CheckResult.FAILED;
      message = "the check itself failed: " + e;
    }
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    CheckResult mine = result(d, state, message, at, took, traceId);
    boolean timedOut;
    synchronized (lock) {
      done[0] = true; // from here on the timer cannot complete f
      timedOut = f.isDone();
    }
    timer.cancel(false);
    Thread.interrupted(); // a late timeout's interrupt must not hit the next check on this thread
    CheckResult r = timedOut ? f.join() : mine;
    span.setAttribute("pulse.check.outcome", timedOut ? "timeout" : r.state());
    span.setAttribute("pulse.check.latency_ms", took.toMillis());
    if (!r.ok()) {
      span.setStatus(StatusCode.ERROR, r.message());
    }
    span.end();
    if (latency != null) {
      latency.record(took.toNanos() / 1e9, Attributes.of(CHECK, d.name()));
    }
    // Complete last: whoever waits for the results then sees the span and the latency recorded.
    f.complete(mine);
  }

  private static CheckResult result(CheckDefinition d, String state, String message, Instant at, Duration took, String traceId) {
    return new CheckResult(d.name(), d.kind().label(), d.target(), state, message, at, took, traceId);
  }

  static String text(Duration d) {
    return d.toMillis() < 1000 ? d.toMillis() + "ms" : Durations.format(Duration.ofMillis(d.toMillis() / 100 * 100));
  }

  static String millis(long nanos) {
    return Math.round(nanos / 1e6) + " ms";
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
