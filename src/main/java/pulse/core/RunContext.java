package pulse.core;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pulse.api.JobContext;
import pulse.api.Settings;
import pulse.api.Trigger;

/** The {@link JobContext} of one run, plus the bookkeeping the runner needs to end it once. */
final class RunContext implements JobContext {
  private final String jobId;
  private final long runId;
  private final Settings settings;
  private final Clock clock;
  private final Span span;
  private final Trigger trigger;
  private final Instant scheduledTime;
  private final Instant startedAt;
  private final Duration timeout;
  private final Logger log;
  private final OutputTail output = new OutputTail();
  private final Map<String, Object> summary = new LinkedHashMap<>();
  private final AtomicReference<CancelReason> cancel = new AtomicReference<>();
  private final AtomicBoolean finished = new AtomicBoolean();
  private volatile String partialWarning;
  volatile Thread thread;
  /** Cancelled when the run ends, so the timer queue does not keep the run reachable. */
  volatile java.util.concurrent.Future<?> timeoutTimer;

  RunContext(
      String jobId,
      long runId,
      Settings settings,
      Clock clock,
      Span span,
      Trigger trigger,
      Instant scheduledTime,
      Instant startedAt,
      Duration timeout) {
    this.jobId = jobId;
    this.runId = runId;
    this.settings = settings;
    this.clock = clock;
    this.span = span;
    this.trigger = trigger;
    this.scheduledTime = scheduledTime;
    this.startedAt = startedAt;
    this.timeout = timeout;
    this.log = LoggerFactory.getLogger("pulse.job." + jobId);
  }

  @Override public String jobId() { return jobId; }
  @Override public long runId() { return runId; }
  @Override public Settings settings() { return settings; }
  @Override public Clock clock() { return clock; }
  @Override public Span span() { return span; }
  @Override public Logger log() { return log; }
  @Override public Trigger trigger() { return trigger; }
  @Override public Instant scheduledTime() { return scheduledTime; }
  @Override public Duration timeout() { return timeout; }

  @Override
  public boolean isCancelled() {
    return cancel.get() != null;
  }

  @Override
  public void output(String line) {
    output.add(line == null ? "" : line);
  }

  @Override
  public synchronized void summary(String key, Object value) {
    if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
      throw new IllegalArgumentException("summary values are strings, numbers or booleans; " + key + " is " + value);
    }
    summary.put(key, value);
    String attr = "pulse.summary." + key;
    if (value instanceof Long || value instanceof Integer) {
      span.setAttribute(AttributeKey.longKey(attr), ((Number) value).longValue());
    } else if (value instanceof Number n) {
      span.setAttribute(AttributeKey.doubleKey(attr), n.doubleValue());
    } else if (value instanceof Boolean b) {
      span.setAttribute(AttributeKey.booleanKey(attr), b);
    } else {
      span.setAttribute(AttributeKey.stringKey(attr), (String) value);
    }
  }

  @Override
  public void partial(String warning) {
    partialWarning = warning == null ? "partial" : warning;
  }

  String partialWarning() {
    return partialWarning;
  }

  synchronized Map<String, Object> summarySnapshot() {
    return Map.copyOf(summary);
  }

  String outputText() {
    return output.text();
  }

  Instant startedAt() {
    return startedAt;
  }

  /** Asks the run to stop; the first reason wins. Returns true if this call set it. */
  boolean cancel(CancelReason reason) {
    boolean first = cancel.compareAndSet(null, reason);
    Thread t = thread;
    if (t != null) {
      t.interrupt();
    }
    return first;
  }

  CancelReason cancelReason() {
    return cancel.get();
  }

  /** True the first time only: a run is recorded as ended exactly once. */
  boolean markFinished() {
    return finished.compareAndSet(false, true);
  }
}
