package pulse.cli;

/**
 * Every exit code Pulse uses, in one place (the README lists them). The values follow sysexits.h
 * where one fits, so systemd and scripts can tell a bad config from a failed job.
 */
public final class ExitCodes {
  public static final int OK = 0;
  /** A job run failed, or {@code pulse check} found problems. */
  public static final int FAILURE = 1;
  /** Bad command line (picocli's default). */
  public static final int USAGE = 2;
  /** {@code pulse status}: the daemon is not running (as LSB init scripts say it). */
  public static final int NOT_RUNNING = 3;
  /** EX_UNAVAILABLE: a tool Pulse needs (such as {@code op}) or the daemon's API is missing. */
  public static final int UNAVAILABLE = 69;
  /** EX_SOFTWARE: a bug in Pulse; the log has the stack trace. */
  public static final int SOFTWARE = 70;
  /** EX_CONFIG: bad configuration. The unit's RestartPreventExitStatus=78 stops restart loops. */
  public static final int CONFIG = 78;

  private ExitCodes() {}
}
