package pulse.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemdNotifierTest {
  @TempDir Path dir;

  @Test
  void withoutNotifySocketEveryCallIsANoOp() {
    SystemdNotifier n = SystemdNotifier.fromEnvironment(Map.of("WATCHDOG_USEC", "1000"));
    assertThat(n.enabled()).isFalse();
    assertThatCode(() -> {
      n.ready("up");
      n.startWatchdog(() -> true);
      n.status("x");
      n.stopping();
      n.close();
    }).doesNotThrowAnyException();
  }

  @Test
  void readyStatusAndStoppingArriveOnAPathSocket() throws Exception {
    try (NotifyReceiver systemd = NotifyReceiver.inDirectory(dir);
        SystemdNotifier n = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", systemd.notifySocket()))) {
      n.ready("Scheduler running\nwith a newline");
      n.status("3 jobs");
      n.stopping();
      await().atMost(Duration.ofSeconds(5)).until(() -> systemd.messages().size() == 3);
      assertThat(systemd.messages()).extracting(NotifyReceiver.Message::text).containsExactly(
          "READY=1\nSTATUS=Scheduler running with a newline", "STATUS=3 jobs", "STOPPING=1\nSTATUS=Stopping");
    }
  }

  @Test
  void abstractNamespaceSocketsWork() throws Exception {
    String name = "pulse-test-" + UUID.randomUUID();
    try (NotifyReceiver systemd = NotifyReceiver.abstractNamed(name);
        SystemdNotifier n = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", "@" + name))) {
      n.ready("up");
      await().atMost(Duration.ofSeconds(5)).until(() -> systemd.count("READY=1") == 1);
    }
  }

  @Test
  void watchdogPingsEveryHalfIntervalOnlyWhileHealthy() throws Exception {
    AtomicBoolean healthy = new AtomicBoolean(true);
    try (NotifyReceiver systemd = NotifyReceiver.inDirectory(dir);
        SystemdNotifier n = SystemdNotifier.fromEnvironment(
            Map.of("NOTIFY_SOCKET", systemd.notifySocket(), "WATCHDOG_USEC", "200000"))) {
      assertThat(n.watchdogTimeout()).contains(Duration.ofMillis(200));
      n.startWatchdog(healthy::get);
      await().atMost(Duration.ofSeconds(5)).until(() -> systemd.count("WATCHDOG=1") >= 5);
      List<NotifyReceiver.Message> pings = systemd.with("WATCHDOG=1");
      // 5 pings at a 100 ms period span ~400 ms; far less would mean pinging too often.
      assertThat(NotifyReceiver.between(pings.get(0), pings.get(4))).isGreaterThan(Duration.ofMillis(300));

      healthy.set(false);
      Thread.sleep(150); // let a tick that already read "healthy" finish sending
      long frozen = systemd.count("WATCHDOG=1");
      Thread.sleep(500); // five periods
      assertThat(systemd.count("WATCHDOG=1")).isEqualTo(frozen);

      healthy.set(true);
      await().atMost(Duration.ofSeconds(5)).until(() -> systemd.count("WATCHDOG=1") >= frozen + 2);
    }
  }

  @Test
  void aHealthCheckThatThrowsCountsAsUnhealthy() throws Exception {
    try (NotifyReceiver systemd = NotifyReceiver.inDirectory(dir);
        SystemdNotifier n = SystemdNotifier.fromEnvironment(
            Map.of("NOTIFY_SOCKET", systemd.notifySocket(), "WATCHDOG_USEC", "100000"))) {
      n.startWatchdog(() -> {
        throw new IllegalStateException("database gone");
      });
      n.ready("up");
      await().atMost(Duration.ofSeconds(5)).until(() -> systemd.count("READY=1") == 1);
      Thread.sleep(300);
      assertThat(systemd.count("WATCHDOG=1")).isZero();
    }
  }

  @Test
  void stoppingEndsTheWatchdog() throws Exception {
    try (NotifyReceiver systemd = NotifyReceiver.inDirectory(dir);
        SystemdNotifier n = SystemdNotifier.fromEnvironment(
            Map.of("NOTIFY_SOCKET", systemd.notifySocket(), "WATCHDOG_USEC", "100000"))) {
      n.startWatchdog(() -> true);
      await().atMost(Duration.ofSeconds(5)).until(() -> systemd.count("WATCHDOG=1") >= 2);
      n.stopping();
      await().atMost(Duration.ofSeconds(5)).until(() -> systemd.count("STOPPING=1") == 1);
      int after = systemd.indexOf("STOPPING=1");
      Thread.sleep(300);
      assertThat(systemd.messages()).hasSize(after + 1);
    }
  }

  @Test
  void watchdogPidOfAnotherProcessMeansTheWatchdogIsNotOurs() {
    long me = ProcessHandle.current().pid();
    assertThat(Watchdog.timeout(Map.of("WATCHDOG_USEC", "400000", "WATCHDOG_PID", Long.toString(me)), me))
        .contains(Duration.ofMillis(400));
    assertThat(Watchdog.timeout(Map.of("WATCHDOG_USEC", "400000", "WATCHDOG_PID", "1"), me)).isEmpty();
    assertThat(Watchdog.timeout(Map.of("WATCHDOG_USEC", "soon"), me)).isEmpty();
    assertThat(Watchdog.timeout(Map.of("WATCHDOG_USEC", "0"), me)).isEmpty();
    assertThat(Watchdog.timeout(Map.of(), me)).isEmpty();
  }

  @Test
  void aMissingSocketNeverThrows() {
    try (SystemdNotifier n = SystemdNotifier.fromEnvironment(Map.of(
        "NOTIFY_SOCKET", dir.resolve("nobody-listens.sock").toString(), "WATCHDOG_USEC", "50000"))) {
      assertThatCode(() -> {
        n.ready("up");
        n.startWatchdog(() -> true);
        Thread.sleep(200);
        n.stopping();
      }).doesNotThrowAnyException();
    }
    try (SystemdNotifier n = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", "vsock:2:1234"))) {
      assertThatCode(() -> n.ready("up")).doesNotThrowAnyException();
    }
  }
}
