package pulse.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import pulse.config.DatabaseConfig;

/**
 * A real PostgreSQL 15 under a temporary directory, for the store tests: Debian's {@code postgresql}
 * binaries run as the {@code postgres} user (initdb refuses root), listening on loopback only. One
 * server per test JVM ({@link #shared()}), each test in a schema of its own ({@link #newSchema()});
 * tests that stop the server start one of their own ({@link #startPrivate()}).
 */
public final class PostgresServer implements AutoCloseable {
  public static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
  public static final String PASSWORD = "pg-test-pw-4711";
  private static final AtomicInteger SCHEMAS = new AtomicInteger();
  private static PostgresServer shared;

  private final Path dir;
  private final int port;

  private PostgresServer(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  /** The JVM's server, started on first use; a test without PostgreSQL installed is skipped, saying why. */
  public static synchronized PostgresServer shared() {
    if (shared == null) {
      shared = startPrivate();
      PostgresServer s = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(s::close, "pulse-test-postgres-stop"));
    }
    return shared;
  }

  /** A server of the caller's own (stop it, start it again, close it). */
  public static PostgresServer startPrivate() {
    Assumptions.assumeTrue(Files.isExecutable(BIN.resolve("initdb")),
        "PostgreSQL 15 is not installed (apt-get install postgresql): skipping the PostgreSQL store tests");
    Assumptions.assumeTrue(run("id", "postgres") == 0, "there is no user postgres to run the server as: skipping");
    try {
      Path dir = Files.createTempDirectory("pulse-pg");
      check(run("chown", "postgres", dir.toString()), "chown");
      Path pw = dir.resolve("pw");
      Files.writeString(pw, PASSWORD + "\n");
      check(run("chown", "postgres", pw.toString()), "chown");
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      Path data = dir.resolve("data");
      check(asPostgres(BIN.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "--auth-local=trust",
          "--auth-host=scram-sha-256", "--pwfile=" + pw, "-E", "UTF8", "--locale=C.UTF-8"), "initdb");
      // fsync=off: the tests prove Pulse's logic on PostgreSQL, not the server's own durability
      Files.writeString(data.resolve("postgresql.conf"), "\nlisten_addresses='127.0.0.1'\nport=" + port
          + "\nunix_socket_directories='" + dir + "'\nfsync=off\nmax_connections=300\n", StandardCharsets.UTF_8,
          StandardOpenOption.APPEND);
      PostgresServer s = new PostgresServer(dir, port);
      s.start();
      return s;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start PostgreSQL: " + e.getMessage(), e);
    }
  }

  public int port() {
    return port;
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /** A fresh schema of the {@code postgres} database, as Pulse's settings would name it. */
  public DatabaseConfig.Postgres newSchema() {
    return new DatabaseConfig.Postgres(jdbcUrl("postgres"), "postgres", Optional.of(PASSWORD),
        "t" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet(), 8);
  }

  /** Runs SQL as the superuser, for a test's own setup. */
  public void sql(String database, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl(database), "postgres", PASSWORD);
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  public void start() {
    check(asPostgres(BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l",
        dir.resolve("log").toString(), "-w", "start"), "pg_ctl start");
  }

  /** Stops at once, as a crash or a kill would (no checkpoint). */
  public void stop() {
    asPostgres(BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop");
  }

  @Override
  public void close() {
    stop();
    run("rm", "-rf", dir.toString());
  }

  private static void check(int exit, String what) {
    if (exit != 0) {
      throw new IllegalStateException(what + " exited " + exit);
    }
  }

  private static int asPostgres(String... argv) {
    List<String> cmd = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
    cmd.addAll(List.of(argv));
    return run(cmd.toArray(String[]::new));
  }

  private static int run(String... argv) {
    try {
      Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return -1;
      }
      if (p.exitValue() != 0) {
        System.err.println(String.join(" ", argv) + " exited " + p.exitValue() + ": " + out);
      }
      return p.exitValue();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
