package pulse.store;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The one {@link DataSource} everything in Pulse uses (Quartz, Flyway, run history, every family):
 * the open pool behind it, with two promises added to every connection it hands out.
 *
 * <ul>
 *   <li><b>Acknowledged means durable.</b> {@code commit()}, and a write in auto-commit mode, return
 *       only after {@link DiskSync} synced the file, so no caller can report success for a change a
 *       kill -9 or a power cut would lose. Doing it here rather than at each call site means no family
 *       and no dependency (Quartz's job store commits on its own) can forget it.
 *   <li><b>Faults are named.</b> A failure that means the store itself is in trouble (no space left,
 *       an I/O error, the database closed under us) is handed to {@link StoreFaults}, which marks the
 *       store faulted once and turns the error into a {@link StoreUnavailableException} that says what
 *       to do; the API answers those with 503.
 * </ul>
 *
 * <p>The pool is read on every {@code getConnection()}, so a store reopened after a fault is picked
 * up by every holder of this object without them knowing.
 */
final class DurableDataSource implements DataSource {
  private static final Set<String> WRITES = Set.of("executeUpdate", "executeLargeUpdate", "executeBatch", "executeLargeBatch");
  private static final Set<String> STATEMENTS = Set.of("createStatement", "prepareStatement", "prepareCall");

  private final Supplier<DataSource> pool;
  private final DiskSync sync;
  private final StoreFaults faults;
  private final boolean syncs;

  /**
   * @param syncs false only for {@link GroupCommit}, which syncs after releasing its lock so the
   *     next group commits meanwhile
   */
  DurableDataSource(Supplier<DataSource> pool, DiskSync sync, StoreFaults faults, boolean syncs) {
    this.pool = pool;
    this.sync = sync;
    this.faults = faults;
    this.syncs = syncs;
  }

  /** Syncs the file (group sync) after a commit made on a connection that does not sync itself. */
  void afterCommit() throws SQLException {
    try {
      sync.afterCommit();
    } catch (SQLException e) {
      throw faults.observe(e);
    }
  }

  @Override
  public Connection getConnection() throws SQLException {
    Connection raw;
    try {
      raw = pool.get().getConnection();
    } catch (SQLException e) {
      throw faults.observe(e);
    }
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, new OnConnection(raw));
  }

  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException("Pulse's store has one user");
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {}

  @Override
  public void setLoginTimeout(int seconds) {}

  @Override
  public int getLoginTimeout() {
    return 0;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    return pool.get().unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(this) || pool.get().isWrapperFor(iface);
  }

  /** Calls the real object; a store fault in the answer is recorded and named. */
  private Object call(Object target, Method m, Object[] args) throws Throwable {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof SQLException s) {
        throw faults.observe(s);
      }
      throw cause;
    }
  }

  private void durable() throws SQLException {
    if (syncs) {
      afterCommit();
    }
  }

  private final class OnConnection implements InvocationHandler {
    private final Connection raw;
    private Connection self;

    OnConnection(Connection raw) {
      this.raw = raw;
    }

    @Override
    public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
      self = (Connection) proxy;
      String name = m.getName();
      switch (name) {
        case "commit" -> {
          call(raw, m, args);
          durable();
          return null;
        }
        case "setAutoCommit" -> {
          // JDBC: switching auto-commit on commits the open transaction
          boolean commits = Boolean.TRUE.equals(args[0]) && !raw.getAutoCommit();
          call(raw, m, args);
          if (commits) {
            durable();
          }
          return null;
        }
        case "unwrap", "isWrapperFor" -> {
          return call(raw, m, args);
        }
        default -> {
          Object result = call(raw, m, args);
          if (STATEMENTS.contains(name) && result instanceof Statement s) {
            return statement(s);
          }
          return result;
        }
      }
    }

    private Statement statement(Statement s) {
      Class<?> type = s instanceof CallableStatement ? CallableStatement.class
          : s instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
      return (Statement) Proxy.newProxyInstance(Statement.class.getClassLoader(), new Class<?>[] {type}, new OnStatement(s, this));
    }
  }

  private final class OnStatement implements InvocationHandler {
    private final Statement raw;
    private final OnConnection connection;

    OnStatement(Statement raw, OnConnection connection) {
      this.raw = raw;
      this.connection = connection;
    }

    @Override
    public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
      String name = m.getName();
      if (name.equals("getConnection")) {
        return connection.self;
      }
      Object result = call(raw, m, args);
      // In auto-commit mode every statement that changed something committed by itself; a plain
      // execute() counts only when it reports an update count (DDL, DML), not for a query.
      boolean wrote = WRITES.contains(name) || (name.equals("execute") && raw.getUpdateCount() >= 0);
      if (wrote && connection.raw.getAutoCommit()) {
        durable();
      }
      return result;
    }
  }
}
