package pulse.api;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Short write transactions on Pulse's database, committed together when many arrive at once. A
 * hundred jobs that fire on the same second each record something; one commit for all of them costs
 * a hundredth of a hundred commits, and {@link #inTransaction} still returns only once its own work
 * is committed, so what a caller acknowledges after it survives a kill -9.
 */
public interface Transactions {

  /** Work done in a transaction. */
  @FunctionalInterface
  interface Work<T> {
    /**
     * Runs on a connection that is already in a transaction, possibly on another caller's thread and
     * together with other callers' work (the caller's trace context is current while it runs). It
     * must not commit, roll back, change auto-commit or call {@link #inTransaction} itself, and
     * should take milliseconds: every caller in the same group waits for the slowest.
     */
    T run(Connection c) throws SQLException;
  }

  /**
   * Runs {@code work} and returns its result once committed. Works run one at a time, each seeing
   * the changes of those before it, so a read-then-write work needs no lock of its own against
   * other works. If the work throws, its own changes are rolled back, the other callers' are not,
   * and the exception is thrown here; if the commit fails, nothing of the group is stored and every
   * caller gets the failure.
   */
  <T> T inTransaction(Work<T> work) throws SQLException;
}
