package pulse.jobs.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pulse.testing.PostgresServer;

/**
 * PostgreSQL checks against a real PostgreSQL 15 that the test starts under a temporary directory
 * (Debian's postgresql package, run as user postgres, password authentication over TCP).
 */
class PostgresCheckTest {
  static final String PASSWORD = PostgresServer.PASSWORD;
  static PostgresServer pg;
  static int port;

  @BeforeAll
  static void startPostgres() {
    pg = PostgresServer.startPrivate(); // skips, saying why, where PostgreSQL is not installed
    port = pg.port();
  }

  @AfterAll
  static void stopPostgres() {
    if (pg != null) {
      pg.close();
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
}
