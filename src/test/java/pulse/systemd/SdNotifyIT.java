package pulse.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.testing.DaemonProcess;
import pulse.testing.TestPluginJar;

/**
 * The built jar under a stand-in for systemd: the test binds the NOTIFY_SOCKET datagram socket and
 * reads what {@code pulse daemon} sends, as systemd would for {@code Type=notify} with
 * {@code WatchdogSec=}.
 */
class SdNotifyIT {
  @TempDir Path dir;

  @Test
  void readyOnceSchedulerRunsWatchdogWhileRunningStoppingOnSigterm() throws Exception {
    try (NotifyReceiver systemd = NotifyReceiver.inDirectory(dir);
        DaemonProcess daemon = new DaemonProcess(dir.resolve("daemon"), Map.of(
            "NOTIFY_SOCKET", systemd.notifySocket(),
            "WATCHDOG_USEC", "400000",
            "PULSE_JOB_IT_TICK_SCHEDULE", "every 1s"))) {
      TestPluginJar.write(daemon.pluginsDir());
      daemon.launch();

      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
        if (!daemon.process().isAlive()) {
          throw new IllegalStateException("daemon exited with " + daemon.process().exitValue() + ":\n" + daemon.output());
        }
        return systemd.count("READY=1") > 0;
      });
      // READY=1 is sent after the scheduler started, never before.
      assertThat(daemon.output()).contains("Scheduler running");
      assertThat(systemd.with("READY=1").get(0).text()).contains("STATUS=Scheduler running");

      // WATCHDOG_USEC=400000: a ping every 200 ms while healthy.
      await().atMost(Duration.ofSeconds(10)).until(() -> systemd.count("WATCHDOG=1") >= 6);
      List<NotifyReceiver.Message> pings = systemd.with("WATCHDOG=1");
      Duration span = NotifyReceiver.between(pings.get(0), pings.get(5));
      assertThat(span).isBetween(Duration.ofMillis(700), Duration.ofMillis(3000));
      for (int i = 1; i < pings.size(); i++) {
        // never later than the watchdog timeout itself, or systemd would have killed us
        assertThat(NotifyReceiver.between(pings.get(i - 1), pings.get(i))).isLessThan(Duration.ofMillis(400));
      }

      assertThat(daemon.signal("TERM")).isEqualTo(143);
      await().atMost(Duration.ofSeconds(5)).until(() -> systemd.count("STOPPING=1") == 1);
      int ready = systemd.indexOf("READY=1");
      int stopping = systemd.indexOf("STOPPING=1");
      assertThat(stopping).isGreaterThan(ready);
      // the watchdog ends with STOPPING=1: a deliberate stop is not an unhealthy scheduler
      assertThat(systemd.messages().subList(stopping + 1, systemd.messages().size()))
          .noneMatch(m -> m.text().contains("WATCHDOG=1"));
      assertThat(daemon.output()).doesNotContain("Scheduler unhealthy");
    }
  }

  @Test
  void withoutNotifySocketTheDaemonRunsAndStopsTheSame() throws Exception {
    try (DaemonProcess daemon = new DaemonProcess(dir.resolve("plain"), Map.of("WATCHDOG_USEC", "400000"))) {
      daemon.launch();
      await().atMost(Duration.ofSeconds(30)).until(() -> daemon.output().contains("Scheduler running"));
      assertThat(daemon.signal("TERM")).isEqualTo(143);
      assertThat(daemon.output()).doesNotContain("Cannot notify systemd").doesNotContain("watchdog on");
    }
  }
}
