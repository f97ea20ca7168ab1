package pulse.jobs.health;

/** A check that looked and did not like what it saw; the message is shown as the check's error. */
final class CheckFailedException extends Exception {
  private static final long serialVersionUID = 1L;

  CheckFailedException(String message) {
    super(message);
  }
}
