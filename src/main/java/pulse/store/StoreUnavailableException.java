package pulse.store;

import java.sql.SQLException;

/**
 * The store cannot take writes right now (no space left, an I/O error, the database closed): not a
 * bug and not the caller's fault. The API answers it with 503 and its message, which says what
 * happened to which file and what to do. A {@link SQLException}, so it passes through every JDBC
 * caller unchanged; the original error is its cause.
 */
public final class StoreUnavailableException extends SQLException {
  private static final long serialVersionUID = 1L;

  StoreUnavailableException(String message, SQLException cause) {
    super(message, cause.getSQLState(), cause.getErrorCode(), cause);
  }

  /** The store fault somewhere in {@code t}'s causes, if any. */
  public static java.util.Optional<StoreUnavailableException> in(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof StoreUnavailableException s) {
        return java.util.Optional.of(s);
      }
    }
    return java.util.Optional.empty();
  }
}
