package pulse.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.testing.DaemonProcess;
import pulse.testing.TestPluginJar;

/**
 * The whole path a user takes, under a real systemd (Debian bookworm in systemd-nspawn): install.sh,
 * {@code systemctl start} returning on READY=1, the journal with priorities, a clean stop that ends
 * inactive rather than failed, and uninstall.sh --purge leaving nothing behind.
 *
 * <p>The {@code -p err} checks rely on the journald priority prefixes of the log layout ({@code <3>}
 * on error lines when JOURNAL_STREAM is set).
 */
class SystemdE2EIT {
  private static final String SRC = "/mnt/pulse-src";
  @TempDir Path dir;

  @Test
  void installStartJournalStopUninstallUnderRealSystemd() throws Exception {
    Optional<String> why = Container.unavailable();
    why.ifPresent(reason -> System.out.println("SKIPPED SystemdE2EIT: " + reason));
    assumeTrue(why.isEmpty(), () -> why.orElse(""));

    Path src = Files.createDirectories(dir.resolve("src"));
    Files.copy(DaemonProcess.jar(), src.resolve("pulse.jar"));
    Path packaging = Files.createDirectories(src.resolve("packaging"));
    for (String f : new String[] {"pulse.service", "install.sh", "uninstall.sh"}) {
      Files.copy(Shell.PACKAGING.resolve(f), packaging.resolve(f));
    }
    TestPluginJar.write(Files.createDirectories(src.resolve("plugins")));

    Path console = dir.resolve("console.log");
    try (Container c = Container.boot(Container.rootfs(), src, console)) {
      Shell installed = c.exec("bash", SRC + "/packaging/install.sh", "--jar", SRC + "/pulse.jar");
      assertThat(installed.exitCode()).as(installed.output()).isZero();
      assertThat(installed.output()).as("a training run of the daemon made the CDS archive")
          .contains("class-data-sharing archive /var/lib/pulse/pulse.jsa");
      assertThat(c.exec("systemctl", "is-enabled", "pulse").output().trim()).isEqualTo("enabled");
      assertThat(c.sh("stat -c '%a %U' /etc/pulse/pulse.env").output().trim()).isEqualTo("600 pulse");
      Shell again = c.exec("bash", SRC + "/packaging/install.sh", "--jar", SRC + "/pulse.jar");
      assertThat(again.exitCode()).as("install.sh is idempotent: " + again.output()).isZero();

      // A plugin with a job that ticks every 2 s (info lines) and one that fails (error lines) once enabled.
      c.sh("install -d -o pulse -g pulse -m 0700 /var/lib/pulse/plugins"
          + " && install -o pulse -g pulse -m 0600 " + SRC + "/plugins/it-jobs.jar /var/lib/pulse/plugins/"
          + " && echo 'PULSE_JOB_IT_TICK_SCHEDULE=every 2s' >> /etc/pulse/pulse.env");

      long t0 = System.nanoTime();
      Shell start = c.exec("systemctl", "start", "pulse");
      Duration startTook = Duration.ofNanos(System.nanoTime() - t0);
      assertThat(start.exitCode()).as(start.output() + journal(c)).isZero();
      System.out.println("SystemdE2EIT: systemctl start pulse returned after " + startTook.toMillis() + " ms");
      assertThat(c.exec("systemctl", "is-active", "pulse").output().trim()).isEqualTo("active");
      // Type=notify: start returned because READY=1 arrived, whose STATUS= systemd now shows.
      assertThat(show(c, "StatusText")).as(journal(c)).contains("Scheduler running");
      assertThat(show(c, "WatchdogUSec")).isEqualTo("1min");

      await().atMost(Duration.ofSeconds(20)).until(() -> journal(c).contains("it-tick"));
      // the installed CLI reaches the service's API with the service's env file
      Shell jobs = c.exec("pulse", "jobs");
      assertThat(jobs.exitCode()).as(jobs.output()).isZero();
      assertThat(jobs.output()).contains("it-tick").contains("every 2s");
      assertThat(c.exec("pulse", "status").exitCode()).isZero();
      assertThat(errors(c)).as("no error on a healthy start; full journal:\n" + journal(c)).isBlank();

      // Now make it-fail fire every 2 s: its failures, and only those, show under -p err.
      // ...and health checks of systemd units, which need a running systemd (this one).
      c.sh("echo 'PULSE_JOB_IT_FAIL_SCHEDULE=every 2s' >> /etc/pulse/pulse.env"
          + " && echo 'PULSE_CHECK_JOURNALD=systemd:systemd-journald.service' >> /etc/pulse/pulse.env"
          + " && echo 'PULSE_CHECK_GHOST=systemd:not-there.service' >> /etc/pulse/pulse.env"
          + " && echo 'PULSE_JOB_HEALTH_SCHEDULE=every 3s' >> /etc/pulse/pulse.env");
      Shell restart = c.exec("systemctl", "restart", "pulse");
      assertThat(restart.exitCode()).as(restart.output() + journal(c)).isZero();
      await().atMost(Duration.ofSeconds(30)).until(() -> journal(c).contains("of it-fail failed"));
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(errors(c))
          .as("the failure is logged at priority err: the journald layout prefixes error lines with <3>")
          .contains("it-fail"));
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        Shell checks = c.exec("pulse", "checks");
        assertThat(checks.output()).as("pulse checks").contains("systemd-journald.service is active")
            .contains("not-there.service is");
      });
      String errors = errors(c);
      assertThat(errors).as("info lines stay out of -p err").doesNotContain("it-tick").doesNotContain("Scheduler running");
      assertThat(errors).as("warnings stay out of -p err").doesNotContain("about to fail");

      // SIGTERM -> exit 143 -> SuccessExitStatus=143: inactive, not failed, well inside TimeoutStopSec.
      t0 = System.nanoTime();
      Shell stop = c.exec("systemctl", "stop", "pulse");
      Duration stopTook = Duration.ofNanos(System.nanoTime() - t0);
      assertThat(stop.exitCode()).as(stop.output()).isZero();
      assertThat(stopTook).isLessThan(Duration.ofSeconds(30));
      assertThat(show(c, "ActiveState")).isEqualTo("inactive");
      assertThat(show(c, "Result")).isEqualTo("success");
      assertThat(show(c, "ExecMainStatus")).isEqualTo("143");
      assertThat(show(c, "NRestarts")).as("the watchdog never fired").isEqualTo("0");
      assertThat(journal(c)).contains("Stopped");

      Shell purged = c.exec("bash", SRC + "/packaging/uninstall.sh", "--purge");
      assertThat(purged.exitCode()).as(purged.output()).isZero();
      assertThat(c.sh("ls -d /opt/pulse /etc/pulse /var/lib/pulse /etc/systemd/system/pulse.service /usr/local/bin/pulse 2>/dev/null").output())
          .isBlank();
      assertThat(c.exec("getent", "passwd", "pulse").exitCode()).isNotZero();
      assertThat(c.exec("systemctl", "cat", "pulse").exitCode()).isNotZero();
    }
  }

  private static String show(Container c, String property) throws Exception {
    return c.exec("systemctl", "show", "pulse", "-p", property, "--value").output().trim();
  }

  private static String journal(Container c) throws Exception {
    return c.exec("journalctl", "-u", "pulse", "--no-pager", "-q", "-o", "cat").output();
  }

  private static String errors(Container c) throws Exception {
    return c.exec("journalctl", "-u", "pulse", "-p", "err", "--no-pager", "-q", "-o", "cat").output();
  }
}
