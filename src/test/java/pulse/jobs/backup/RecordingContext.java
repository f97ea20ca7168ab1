package pulse.jobs.backup;

import io.opentelemetry.api.trace.Span;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pulse.api.JobContext;
import pulse.api.Settings;
import pulse.api.Trigger;

/** A {@link JobContext} with a real SDK span, for tests that inspect what a job put on it. */
final class RecordingContext implements JobContext {
  private final Settings settings;
  private final Span span;
  final List<String> output = new ArrayList<>();
  final Map<String, Object> summary = new LinkedHashMap<>();
  volatile String partial;
  volatile boolean cancelled;

  RecordingContext(Settings settings, Span span) {
    this.settings = settings;
    this.span = span;
  }

  @Override public String jobId() { return "backup"; }
  @Override public long runId() { return 1; }
  @Override public Settings settings() { return settings; }
  @Override public Clock clock() { return Clock.systemUTC(); }
  @Override public Span span() { return span; }
  @Override public Logger log() { return LoggerFactory.getLogger("pulse.job.backup"); }
  @Override public Trigger trigger() { return Trigger.MANUAL; }
  @Override public Instant scheduledTime() { return Instant.now(); }
  @Override public Duration timeout() { return Duration.ofMinutes(5); }
  @Override public boolean isCancelled() { return cancelled; }

  @Override
  public synchronized void output(String line) {
    output.add(line);
  }

  @Override
  public synchronized void summary(String key, Object value) {
    summary.put(key, value);
    span.setAttribute("pulse.summary." + key, String.valueOf(value));
  }

  @Override
  public void partial(String warning) {
    partial = warning;
  }
}
