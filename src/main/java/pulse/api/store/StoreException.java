package pulse.api.store;

import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The database could not do what was asked; the message names the table, what failed and what to
 * do. The one exception type of the store kit: every family's store throws it, the API answers it
 * with 503 when its cause says the store is unavailable (a full disk, PostgreSQL down), and the
 * daemon exits 78 on one that {@link #needsOperator()} (an empty or cut file, a migration that
 * cannot be undone), so systemd does not restart it in a loop.
 */
public final class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private static final Pattern TABLE =
      Pattern.compile("\\b(?:FROM|INTO|UPDATE|TABLE)\\s+([A-Za-z_][A-Za-z0-9_.]*)", Pattern.CASE_INSENSITIVE);
  private final boolean needsOperator;

  public StoreException(String message, Throwable cause) {
    this(message, cause, false);
  }

  private StoreException(String message, Throwable cause, boolean needsOperator) {
    super(message, cause);
    this.needsOperator = needsOperator;
  }

  /** A state only a person can repair; the message says how. */
  public static StoreException forOperator(String message, Throwable cause) {
    return new StoreException(message, cause, true);
  }

  /** True if retrying cannot help: the daemon stops with exit code 78 and this message. */
  public boolean needsOperator() {
    return needsOperator;
  }

  /**
   * The failure of {@code sql}: "could not read pulse_runs: <the database's first line>; <the fix>".
   * The table is the statement's first, which is the one it is about for every statement the kit
   * runs; the fix follows from the SQLSTATE class.
   */
  public static StoreException statement(String sql, SQLException e) {
    if (e instanceof Sql.Failed f) {
      return statement(f.sql, (SQLException) f.getCause());
    }
    String verb = verb(sql);
    String table = table(sql).map(t -> " " + t).orElse("");
    return new StoreException("could not " + verb + table + ": " + firstLine(e) + fix(e).map(f -> "; " + f).orElse(""), e);
  }

  /**
   * The failure of a transaction doing {@code what} ("claim due pulses"): names the work, and the
   * table of the statement that failed when a kit statement did.
   */
  public static StoreException during(String what, SQLException e) {
    String where = "";
    SQLException cause = e;
    if (e instanceof Sql.Failed f) {
      where = table(f.sql).map(t -> " (" + verb(f.sql) + " " + t + ")").orElse("");
      cause = (SQLException) f.getCause();
    }
    return new StoreException("could not " + what + where + ": " + firstLine(cause) + fix(cause).map(x -> "; " + x).orElse(""), cause);
  }

  /** The first line of an error's message, for one-line reports. */
  public static String firstLine(Throwable e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    return m.lines().findFirst().orElse(m);
  }

  static Optional<String> table(String sql) {
    Matcher m = TABLE.matcher(sql);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  private static String verb(String sql) {
    String head = sql.stripLeading().toUpperCase(Locale.ROOT);
    if (head.startsWith("SELECT") || head.startsWith("WITH")) {
      return "read";
    }
    if (head.startsWith("INSERT") || head.startsWith("MERGE")) {
      return "write to";
    }
    if (head.startsWith("UPDATE")) {
      return "update";
    }
    if (head.startsWith("DELETE")) {
      return "delete from";
    }
    return "run a statement on";
  }

  private static Optional<String> fix(SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    if (state.startsWith("08")) {
      return Optional.of("the database cannot be reached; check that it runs and PULSE_DATABASE_URL points at it");
    }
    if (state.equals("28P01") || state.equals("28000")) {
      return Optional.of("the database refused the login; check PULSE_DATABASE_USER and PULSE_DATABASE_PASSWORD");
    }
    if (state.equals("42P01") || state.equals("42S02") || state.equals("42S22") || state.equals("42703")) {
      return Optional.of("the schema is not what this Pulse version expects; start the daemon once so it migrates the database");
    }
    if (state.equals("53100")) {
      return Optional.of("the database server is out of disk space; free some");
    }
    if (state.equals("25006")) {
      return Optional.of("the database is read-only (a replica?); point PULSE_DATABASE_URL at the primary");
    }
    if (state.startsWith("40")) {
      return Optional.of("a concurrent transaction got in the way; retry");
    }
    return Optional.empty();
  }
}
