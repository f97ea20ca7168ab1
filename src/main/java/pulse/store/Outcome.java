package pulse.store;

import java.util.Locale;

/** How a run ended, as stored, served by the API and set on spans. */
public enum Outcome {
  /** Started and not finished yet (or the daemon died and has not restarted). */
  RUNNING,
  SUCCESS,
  /** Did its work with a warning; not a failure. */
  PARTIAL,
  FAILED,
  /** Cancelled after PULSE_JOB_<ID>_TIMEOUT. */
  TIMEOUT,
  /** The job stopped itself after a cancel request that was not a timeout or shutdown. */
  CANCELLED,
  /** The daemon stopped (SIGTERM) or died (kill -9, crash) while the run was going. */
  INTERRUPTED;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** True for the outcomes that count as a failed run (alerts, exit codes, {@code --failed}). */
  public boolean isFailure() {
    return this == FAILED || this == TIMEOUT || this == INTERRUPTED || this == CANCELLED;
  }

  public static Outcome fromLabel(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT));
  }
}
