package pulse.jobs.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL checks against a real PostgreSQL 15 that the test starts under a temporary directory
 * (Debian's postgresql package, run as user postgres, password authentication over TCP).
 */
class PostgresCheckTest {
  static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
  static final String PASSWORD = "pg-test-pw-4711";
  static Path dir;
  static int port;

  @BeforeAll
  static void startPostgres() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(BIN.resolve("initdb")),
        "PostgreSQL 15 is not installed (apt-get install postgresql)");
    Assumptions.assumeTrue(sh("id", "postgres") == 0, "there is no user postgres to run the server as");
    dir = Files.createTempDirectory("pulse-pg");
    assertThat(sh("chown", "postgres", dir.toString())).isZero();
    Path pw = dir.resolve("pw");
    Files.writeString(pw, PASSWORD + "\n");
    sh("chown", "postgres", pw.toString());
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path data = dir.resolve("data");
    assertThat(asPostgres(BIN.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "--auth-local=trust",
        "--auth-host=scram-sha-256", "--pwfile=" + pw, "-E", "UTF8", "--locale=C.UTF-8")).isZero();
    Files.writeString(data.resolve("postgresql.conf"), "\nlisten_addresses='127.0.0.1'\nport=" + port
        + "\nunix_socket_directories='" + dir + "'\nfsync=off\n", StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.APPEND);
    assertThat(asPostgres(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("log").toString(),
        "-w", "start")).isZero();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    if (dir != null) {
      asPostgres(BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop");
      sh("rm", "-rf", dir.toString());
    }
  }

  @Test
  void aRealConnectionAndSelectOnePass() throws Exception {
    CheckResult r = LocalChecksTest.one("PULSE_CHECK_DB", "postgres://postgres@127.0.0.1:" + port + "/postgres",
        "PULSE_CHECK_DB_PASSWORD", PASSWORD);
    assertThat(r.state()).as(r.message()).isEqualTo("ok");
    assertThat(r.message()).matches("SELECT 1 in \\d+ ms");
  }

  @Test
  void aWrongPasswordFailsNamingTheSettingsAndNotThePassword() throws Exception {
    CheckResult r = LocalChecksTest.one("PULSE_CHECK_DB", "postgres://postgres@127.0.0.1:" + port + "/postgres",
        "PULSE_CHECK_DB_PASSWORD", "wrong-password-1");
    assertThat(r.state()).isEqualTo("failed");
    assertThat(r.message()).contains("password authentication failed for user \"postgres\"")
        .endsWith("(check the user in PULSE_CHECK_DB and PULSE_CHECK_DB_PASSWORD)")
        .doesNotContain("wrong-password-1");
  }

  @Test
  void aStoppedServerFailsAsCannotConnect() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    CheckResult r = LocalChecksTest.one("PULSE_CHECK_DB", "postgres://postgres@127.0.0.1:" + closed + "/postgres");
    assertThat(r.state()).isEqualTo("failed");
    assertThat(r.message()).startsWith("cannot connect: Connection to 127.0.0.1:" + closed + " refused");
  }

  @Test
  void aServerThatNeverAnswersFailsAtTheConnectTimeout() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      long t0 = System.nanoTime();
      CheckResult r = LocalChecksTest.one("PULSE_CHECK_DB", "postgres://postgres@127.0.0.1:" + silent.getLocalPort() + "/postgres",
          "PULSE_CHECK_DB_TIMEOUT", "1s");
      assertThat(r.state()).isEqualTo("failed");
      assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(4_000);
    }
  }

  private static int asPostgres(String... argv) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
    cmd.addAll(List.of(argv));
    return sh(cmd.toArray(String[]::new));
  }

  private static int sh(String... argv) throws IOException, InterruptedException {
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
  }
}
