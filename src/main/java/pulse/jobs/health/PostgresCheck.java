package pulse.jobs.health;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * {@code postgres://user@host:port/db}: opens a real connection (PostgreSQL's JDBC driver) and runs
 * {@code SELECT 1}, within the timeout. The password comes from {@code _PASSWORD}, never the URL,
 * so the redactor knows it.
 */
final class PostgresCheck implements Check {
  private final CheckDefinition def;
  private final String jdbcUrl;
  private final String user;

  PostgresCheck(CheckDefinition def) {
    this.def = def;
    URI u = URI.create(def.value().trim());
    int port = u.getPort() < 0 ? 5432 : u.getPort();
    String db = u.getRawPath() == null || u.getRawPath().length() <= 1 ? "" : u.getRawPath().substring(1);
    this.user = u.getUserInfo();
    this.jdbcUrl = "jdbc:postgresql://" + u.getHost() + ":" + port + "/" + db
        + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
  }

  @Override
  public CheckDefinition definition() {
    return def;
  }

  @Override
  public String probe() throws CheckFailedException {
    int seconds = (int) Math.max(1, Math.ceil(def.timeout().toMillis() / 1000.0));
    Properties p = new Properties();
    if (user != null) {
      p.setProperty("user", user);
    }
    def.option(CheckOption.PASSWORD).ifPresent(pw -> p.setProperty("password", pw));
    p.setProperty("connectTimeout", String.valueOf(seconds));
    p.setProperty("loginTimeout", String.valueOf(seconds));
    p.setProperty("socketTimeout", String.valueOf(seconds));
    p.setProperty("ApplicationName", "pulse-health");
    long t0 = System.nanoTime();
    try (Connection c = DriverManager.getConnection(jdbcUrl, p);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT 1")) {
      if (!rs.next() || rs.getInt(1) != 1) {
        throw new CheckFailedException("SELECT 1 did not return 1");
      }
    } catch (SQLException e) {
      throw new CheckFailedException(describe(e));
    }
    return "SELECT 1 in " + CheckRunner.millis(System.nanoTime() - t0);
  }

  private String describe(SQLException e) {
    String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
      return "cannot connect: " + msg;
    }
    if ("28P01".equals(e.getSQLState()) || "28000".equals(e.getSQLState())) {
      return msg + " (check the user in " + def.key() + " and " + def.key(CheckOption.PASSWORD) + ")";
    }
    return msg;
  }
}
