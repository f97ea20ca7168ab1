package pulse.store;

/**
 * The database could not do what was asked; the message says what to check. One that {@link
 * #needsOperator()} cannot be fixed by retrying (an empty or cut file, a migration that cannot be
 * undone): the daemon exits 78 with the message, which names the backup to restore, so systemd does
 * not restart it in a loop.
 */
public final class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final boolean needsOperator;

  public StoreException(String message, Throwable cause) {
    this(message, cause, false);
  }

  private StoreException(String message, Throwable cause, boolean needsOperator) {
    super(message, cause);
    this.needsOperator = needsOperator;
  }

  /** A state only a person can repair; the message says how. */
  static StoreException needsOperator(String message, Throwable cause) {
    return new StoreException(message, cause, true);
  }

  public boolean needsOperator() {
    return needsOperator;
  }

  /** The first line of an error's message, for one-line reports. */
  static String firstLine(Throwable e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    return m.lines().findFirst().orElse(m);
  }
}
