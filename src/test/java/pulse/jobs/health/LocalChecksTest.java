package pulse.jobs.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.context.Context;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.config.MapSettings;

/** TCP, disk, command and systemd checks against the real machine. */
class LocalChecksTest {
  @TempDir Path dir;

  static List<CheckResult> run(String... kv) throws InterruptedException {
    MapSettings settings = new MapSettings(CheckSyntaxTest.env(kv), Map.of());
    assertThat(CheckSyntax.parse(settings, null).problems()).isEmpty();
    try (HealthRuntime rt = HealthExtension.standalone(settings)) {
      return rt.runAll(Context.root());
    }
  }

  static CheckResult one(String... kv) throws InterruptedException {
    return run(kv).get(0);
  }

  @Test
  void tcpPassesOnAnOpenPortAndFailsOnAClosedOne() throws Exception {
    try (ServerSocket open = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      CheckResult ok = one("PULSE_CHECK_SSH", "tcp://127.0.0.1:" + open.getLocalPort());
      assertThat(ok.state()).isEqualTo("ok");
      assertThat(ok.message()).matches("connected in \\d+ ms");
    }
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    CheckResult bad = one("PULSE_CHECK_SSH", "tcp://127.0.0.1:" + closed);
    assertThat(bad.state()).isEqualTo("failed");
    assertThat(bad.message()).isEqualTo("127.0.0.1:" + closed + " refused the connection (nothing listens there?)");
  }

  @Test
  void diskChecksFreeSpaceAsPercentAndBytes() throws Exception {
    CheckResult ok = one("PULSE_CHECK_TMP", "disk:" + dir, "PULSE_CHECK_TMP_MIN_FREE_PERCENT", "0");
    assertThat(ok.state()).isEqualTo("ok");
    assertThat(ok.message()).matches(java.util.regex.Pattern.quote(dir.toString()) + " has \\S+ \\S+ free of \\S+ \\S+ \\(\\d+\\.\\d%\\)");
    CheckResult bytes = one("PULSE_CHECK_TMP", "disk:" + dir, "PULSE_CHECK_TMP_MIN_FREE_BYTES", "900PB");
    assertThat(bytes.state()).isEqualTo("failed");
    assertThat(bytes.message()).endsWith(", below PULSE_CHECK_TMP_MIN_FREE_BYTES=900PB");
    CheckResult percent = one("PULSE_CHECK_TMP", "disk:" + dir, "PULSE_CHECK_TMP_MIN_FREE_PERCENT", "100");
    assertThat(percent.state()).isEqualTo("failed");
    assertThat(percent.message()).endsWith(", below PULSE_CHECK_TMP_MIN_FREE_PERCENT=100");
    CheckResult missing = one("PULSE_CHECK_TMP", "disk:" + dir.resolve("not-mounted"));
    assertThat(missing.message()).isEqualTo(dir.resolve("not-mounted") + " does not exist (is the disk mounted?)");
  }

  @Test
  void commandsPassOnTheExpectedExitAndExplainOtherwise() throws Exception {
    Path script = dir.resolve("queue-check");
    Files.writeString(script, "#!/bin/sh\necho \"checking $1\"\necho \"queue too long: $2\" >&2\nexit \"$3\"\n");
    script.toFile().setExecutable(true);
    CheckResult ok = one("PULSE_CHECK_Q", "cmd:" + script + " 'the queue' 5 0");
    assertThat(ok.state()).isEqualTo("ok");
    assertThat(ok.message()).startsWith(script + " exited 0 in ");
    CheckResult bad = one("PULSE_CHECK_Q", "cmd:" + script + " q 812 3");
    assertThat(bad.state()).isEqualTo("failed");
    assertThat(bad.message()).isEqualTo(script + " exited 3 (expected 0): queue too long: 812");
    assertThat(one("PULSE_CHECK_Q", "cmd:" + script + " q 812 3", "PULSE_CHECK_Q_EXPECT_EXIT", "3").state()).isEqualTo("ok");
    CheckResult absent = one("PULSE_CHECK_Q", "cmd:/no/such/binary --x");
    assertThat(absent.state()).isEqualTo("failed");
    assertThat(absent.message()).startsWith("cannot run /no/such/binary: ").endsWith("(is it installed and on PATH?)");
  }

  @Test
  void aCommandThatHangsIsStoppedAtItsTimeout() throws Exception {
    long t0 = System.nanoTime();
    CheckResult r = one("PULSE_CHECK_HANG", "cmd:sleep 30", "PULSE_CHECK_HANG_TIMEOUT", "500ms");
    assertThat(r.state()).isEqualTo("failed");
    assertThat(r.message()).isEqualTo("sleep did not finish within 500ms; it was stopped");
    assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(3_000);
  }

  @Test
  void checksRunInParallelOnABoundedPool() throws Exception {
    long t0 = System.nanoTime();
    List<CheckResult> rs = run("PULSE_CHECK_A", "cmd:sleep 1", "PULSE_CHECK_B", "cmd:sleep 1", "PULSE_CHECK_C", "cmd:sleep 1",
        "PULSE_HEALTH_PARALLELISM", "3");
    assertThat(rs).extracting(CheckResult::state).containsExactly("ok", "ok", "ok");
    assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(2_500);
    long t1 = System.nanoTime();
    run("PULSE_CHECK_A", "cmd:sleep 1", "PULSE_CHECK_B", "cmd:sleep 1", "PULSE_HEALTH_PARALLELISM", "1");
    assertThat((System.nanoTime() - t1) / 1_000_000).isGreaterThanOrEqualTo(2_000);
  }

  @Test
  void systemdUnitsAreActiveOrNamedWithTheirState() throws Exception {
    Assumptions.assumeTrue(hasSystemctl(), "no systemctl on this machine");
    if (!Files.isDirectory(Path.of("/run/systemd/system"))) {
      // systemctl exists but systemd is not PID 1 (a container): the check must say so, not crash
      CheckResult r = one("PULSE_CHECK_NGINX", "systemd:nginx.service");
      assertThat(r.state()).isEqualTo("failed");
      assertThat(r.message()).startsWith("systemctl is-active nginx.service could not tell: System has not been booted with systemd");
      Assumptions.abort("systemd is not running here (no /run/systemd/system): only the failure path was tested");
    }
    assertThat(one("PULSE_CHECK_J", "systemd:systemd-journald.service").state()).isEqualTo("ok");
    CheckResult r = one("PULSE_CHECK_NOPE", "systemd:pulse-no-such-unit.service");
    assertThat(r.state()).isEqualTo("failed");
    assertThat(r.message()).isEqualTo("pulse-no-such-unit.service is inactive (systemctl is-active; see systemctl status"
        + " pulse-no-such-unit.service)");
  }

  private static boolean hasSystemctl() {
    try {
      return new ProcessBuilder("systemctl", "--version").start().waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
