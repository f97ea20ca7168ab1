package pulse.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.testing.DaemonProcess;
import pulse.testing.TestPluginJar;

/** The jar as systemd runs it (JOURNAL_STREAM set): every output line starts with its priority. */
class JournaldLogIT {
  @TempDir Path dir;

  @Test
  void everyLineCarriesAPriorityPrefixAndNoTimestamp() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    // An OTLP endpoint nobody listens on: the SDK's export errors (java.util.logging) must come out
    // as prefixed lines too; it-crash logs a stack trace with a cause.
    Map<String, String> env = Map.of(
        "JOURNAL_STREAM", "8:123456",
        "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + closedPort,
        "OTEL_BSP_SCHEDULE_DELAY", "200",
        "IT_SECRET_TOKEN", "journal-secret-5e6f7a8b",
        "PULSE_JOB_IT_TICK_SCHEDULE", "every 1s",
        "PULSE_JOB_IT_FAIL_SCHEDULE", "every 1s",
        "PULSE_JOB_IT_CRASH_SCHEDULE", "every 1s");
    DaemonProcess d = new DaemonProcess(dir, env);
    TestPluginJar.write(d.pluginsDir());
    try (d) {
      d.startWithoutApi();
      await().atMost(Duration.ofSeconds(30)).until(() -> d.output().contains("of it-fail failed")
          && d.output().contains("of it-tick succeeded") && d.output().contains("of it-crash failed")
          && d.output().contains("Failed to export"));
      assertThat(d.signal("TERM")).isEqualTo(143);
    }
    List<String> lines = d.output().lines().toList();
    assertThat(lines).isNotEmpty().allSatisfy(l -> assertThat(l).matches("^<[0-7]>.*"));
    assertThat(lines).noneMatch(l -> l.matches("^<\\d>\\d{4}-\\d{2}-\\d{2}.*"));
    assertThat(lines).anyMatch(l -> l.matches("^<6>Daemon: Scheduler running.*"));
    assertThat(lines).anyMatch(l -> l.matches("^<6>JobRunner: Run \\d+ of it-tick succeeded.*"));
    assertThat(lines).anyMatch(l -> l.matches("^<4>it-fail: about to fail using \\*\\*\\*\\* trace_id=[0-9a-f]{32} span_id=[0-9a-f]{16}$"));
    assertThat(lines).anyMatch(l -> l.matches("^<3>JobRunner: Run \\d+ of it-fail failed after .*remote refused token \\*\\*\\*\\*.*trace_id=.*"));
    assertThat(lines).anyMatch(l -> l.matches("^<3>java.lang.IllegalStateException: crashed on purpose$"));
    assertThat(lines).anyMatch(l -> l.matches("^<3>\\tat .*pulse.itjobs.CrashJob.run\\(.*"));
    assertThat(lines).anyMatch(l -> l.matches("^<3>Caused by: java.io.IOException: disk said no$"));
    assertThat(lines).anyMatch(l -> l.matches("^<3>HttpExporter: Failed to export .*ConnectException.*"));
    assertThat(d.output()).doesNotContain("journal-secret-5e6f7a8b");
  }
}
