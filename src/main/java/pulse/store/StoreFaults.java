package pulse.store;

import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the store is faulted, and why. A fault is an error that says the store itself cannot work
 * (the file system is full or read-only, an I/O error, H2 closed the database after one), as
 * opposed to an error of one statement (a constraint, a bad query). The first fault is logged at
 * error, once, with the file and what to do; the daemon then reports itself unhealthy (503 on
 * {@code /api/health}, no watchdog pings) until {@link #clear} is called after a write succeeded again.
 */
final class StoreFaults {
  private static final Logger log = LoggerFactory.getLogger(StoreFaults.class);
  /** H2 error codes that mean the store, not the statement, failed. */
  private static final int IO_EXCEPTION_1 = 90028;
  private static final int IO_EXCEPTION_2 = 90031;
  private static final int FILE_CORRUPTED = 90030;
  private static final int DATABASE_IS_CLOSED = 90098;
  private static final int GENERAL_ERROR = 50000;

  private final String file;
  private final Runnable onFault;
  private volatile String reason;

  /** {@code onFault} runs once per fault, on the thread that saw it: it must return at once. */
  StoreFaults(String file, Runnable onFault) {
    this.file = file;
    this.onFault = onFault;
  }

  /** The current fault: a sentence that names the file, the cause and the fix. */
  Optional<String> current() {
    return Optional.ofNullable(reason);
  }

  /**
   * Looks at an error from the store: a fault is recorded and returned as a {@link
   * StoreUnavailableException}; any other error is returned unchanged.
   */
  SQLException observe(SQLException e) {
    if (e instanceof StoreUnavailableException) {
      return e;
    }
    Optional<String> cause = classify(e);
    if (cause.isEmpty()) {
      return e;
    }
    String message = "Pulse's database " + file + " cannot be written: " + cause.get() + "; " + fix(cause.get())
        + " (Pulse retries by itself and resumes when writes succeed again)";
    boolean first;
    synchronized (this) {
      first = reason == null;
      reason = message;
    }
    if (first) {
      log.error("{}. The scheduler and the API's writes are paused; /api/health answers 503.", message);
      onFault.run();
    }
    return new StoreUnavailableException(message, e);
  }

  /** Writes work again. */
  void clear() {
    String was;
    synchronized (this) {
      was = reason;
      reason = null;
    }
    if (was != null) {
      log.info("Pulse's database {} takes writes again; scheduler and API resumed", file);
    }
  }

  private static String fix(String cause) {
    if (cause.startsWith("no space left on the PostgreSQL")) {
      return "free space on the database server";
    }
    if (cause.startsWith("no space")) {
      return "free space on that file system";
    }
    if (cause.startsWith("PostgreSQL")) {
      return "check that PostgreSQL runs and that PULSE_DATABASE_URL points at it";
    }
    if (cause.startsWith("the PostgreSQL server is read-only")) {
      return "point PULSE_DATABASE_URL at the primary";
    }
    return "check the disk and the file system";
  }

  /** A short cause if {@code e} is a store fault. */
  static Optional<String> classify(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      // PostgreSQL (SQLSTATEs): the server gone, going or full, or turned into a replica
      if (t instanceof SQLException s && s.getSQLState() != null) {
        String state = s.getSQLState();
        if (state.startsWith("08")) {
          return Optional.of("PostgreSQL cannot be reached (" + firstLine(s.getMessage()) + ")");
        }
        if (state.startsWith("57P")) {
          return Optional.of("PostgreSQL is shutting down or starting (" + firstLine(s.getMessage()) + ")");
        }
        if (state.equals("53100")) {
          return Optional.of("no space left on the PostgreSQL server");
        }
        if (state.equals("25006")) {
          return Optional.of("the PostgreSQL server is read-only (a replica?)");
        }
      }
      String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
      if (m.contains("no space left on device") || m.contains("disk quota exceeded")) {
        return Optional.of("no space left on device");
      }
      if (m.contains("read-only file system")) {
        return Optional.of("the file system is read-only");
      }
      if (m.contains("waited for database closing")) {
        return Optional.of("H2 is still closing the database after an earlier error");
      }
    }
    int code = e.getErrorCode();
    if (code == DATABASE_IS_CLOSED) {
      return Optional.of("the database was closed after an earlier error");
    }
    if (code == IO_EXCEPTION_1 || code == IO_EXCEPTION_2 || code == FILE_CORRUPTED
        || (code == GENERAL_ERROR && String.valueOf(e.getMessage()).contains("MVStoreException"))) {
      return Optional.of("I/O error (" + firstLine(e.getMessage()) + ")");
    }
    return Optional.empty();
  }

  private static String firstLine(String s) {
    String line = s == null ? "" : s.lines().findFirst().orElse("");
    return line.length() > 200 ? line.substring(0, 200) + "…" : line;
  }
}
