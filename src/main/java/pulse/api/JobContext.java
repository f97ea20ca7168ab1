package pulse.api;

import io.opentelemetry.api.trace.Span;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;

/** What a running job sees of Pulse. One context per run; not shared between runs. */
public interface JobContext {

  String jobId();

  /** This run's id in the run history. */
  long runId();

  /** The job's validated settings (and every other setting, read-only). */
  Settings settings();

  /** The daemon's clock; tests replace it. Use it instead of {@code Instant.now()}. */
  Clock clock();

  /** The run's span ({@code pulse.job <id>}); child spans made while the job runs nest under it. */
  Span span();

  /** A logger named after the job; lines carry the run's trace id. */
  Logger log();

  /** What started this run. */
  Trigger trigger();

  /** When this run was due; for a manual run, when it was asked for. */
  Instant scheduledTime();

  /** The time this run may take before Pulse cancels it. */
  Duration timeout();

  /** True once Pulse asked the run to stop (timeout or shutdown). */
  boolean isCancelled();

  /** Throws {@link JobCancelledException} once the run was asked to stop. */
  default void checkCancelled() {
    if (isCancelled()) {
      throw new JobCancelledException("run of " + jobId() + " was cancelled");
    }
  }

  /** Appends a line to the run's output; its tail is stored with the run. */
  void output(String line);

  /**
   * Adds a figure to the run's summary: stored with the run and set as span attribute {@code
   * pulse.summary.<key>}. Values: strings, numbers or booleans.
   */
  void summary(String key, Object value);

  /**
   * Marks the run as partial: it did its work with a warning (for example, some files could not be
   * read but a backup was still made). The run is not counted as a failure.
   */
  void partial(String warning);
}
