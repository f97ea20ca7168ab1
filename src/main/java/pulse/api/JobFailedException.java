package pulse.api;

/**
 * A failure the job explains itself: its message is shown to the user as the run's error, so say
 * what failed and what to do. Any other exception fails the run too; this one just reads better.
 */
public final class JobFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public JobFailedException(String message) {
    super(message);
  }

  public JobFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
