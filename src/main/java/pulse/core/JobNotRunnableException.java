package pulse.core;

/** A job exists but cannot start a run now: it is disabled or already running. */
public final class JobNotRunnableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public JobNotRunnableException(String message) {
    super(message);
  }
}
