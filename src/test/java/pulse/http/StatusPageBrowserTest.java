package pulse.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.config.PulseConfig;
import pulse.core.Daemon;
import pulse.core.Discovery;
import pulse.telemetry.Telemetry;
import pulse.testing.TestConfigs;
import pulse.testing.TestJob;

/** The status page as a real browser (headless Chromium) renders it, not as a string. */
class StatusPageBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  @TempDir Path dir;

  @Test
  void aRealBrowserShowsJobsRunsFailuresAndTraceLinks() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), () -> {
      System.out.println("SKIPPED StatusPageBrowserTest: no " + CHROMIUM + " (apt-get install chromium; CI installs it)");
      return "no chromium";
    });
    TestJob good = new TestJob("nightly-report", "0 3 * * *", ctx -> ctx.output("report written"));
    TestJob bad = new TestJob("flaky-sync", "every 1h", ctx -> {
      throw new IllegalStateException("upstream answered 503");
    });
    Discovery.Found found = TestConfigs.found(good, bad);
    PulseConfig config = TestConfigs.config(dir.resolve("state"), found, Map.of("PULSE_TRACE_URL", "http://jaeger.invalid/trace/{trace_id}"));
    try (Daemon daemon = Daemon.start(config, found, Telemetry.disabled(), Clock.systemUTC());
        ApiServer server = ApiServer.start(daemon, Telemetry.disabled(), "test")) {
      long ok = daemon.runNow("nightly-report");
      long failed = daemon.runNow("flaky-sync");
      await().atMost(Duration.ofSeconds(10)).until(() ->
          daemon.history().find(ok).orElseThrow().endedAt() != null && daemon.history().find(failed).orElseThrow().endedAt() != null);

      String dom = chromium("--dump-dom", "http://" + server.address() + "/");
      assertThat(dom).contains("<title>Pulse</title>");
      assertThat(dom).contains("nightly-report").contains("flaky-sync").contains("upstream answered 503");
      assertThat(dom).containsPattern("<tr data-run=\"" + failed + "\" class=\"failed\">");
      assertThat(dom).containsPattern("<tr data-run=\"" + ok + "\" class=\"\">");
      assertThat(dom).containsPattern("<tr data-job=\"flaky-sync\" class=\"failed\">");

      Path png = dir.resolve("status.png");
      chromium("--screenshot=" + png, "--window-size=1200,800", "http://" + server.address() + "/");
      assertThat(png).exists();
      assertThat(Files.size(png)).isGreaterThan(5_000); // a rendered page, not an empty canvas
    }
  }

  private String chromium(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--user-data-dir=" + Files.createTempDirectory(dir, "chromium")));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "chromium", ".out");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(false).redirectOutput(out.toFile())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("chromium finished").isTrue();
    assertThat(p.exitValue()).as("chromium exit code").isZero();
    return Files.readString(out, StandardCharsets.UTF_8);
  }
}
