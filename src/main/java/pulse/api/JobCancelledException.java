package pulse.api;

/** Thrown by {@link JobContext#checkCancelled()}; Pulse records the run as cancelled, not failed. */
public final class JobCancelledException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public JobCancelledException(String message) {
    super(message);
  }
}
