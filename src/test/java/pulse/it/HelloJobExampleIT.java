package pulse.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.store.Database;
import pulse.store.JdbcRunHistory;
import pulse.store.Outcome;
import pulse.store.RunQuery;
import pulse.store.RunRecord;
import pulse.testing.DaemonProcess;

/**
 * {@code examples/hello-job} as a user builds it: its own Maven build (offline, the repository's
 * wrapper, against the jar under test), the jar dropped into a plugins directory, then the built
 * Pulse jar lists and runs the job.
 */
class HelloJobExampleIT {
  private static final String TOKEN = "it-api-token-0123456789";
  private static final String GREETING = "Bonjour from HelloJobExampleIT";

  @TempDir static Path buildDir;
  static Path pluginJar;

  @TempDir Path dir;

  /** Builds a copy of the example, so the source tree gets no target/ and parallel builds cannot clash. */
  @BeforeAll
  static void buildTheExampleWithMaven() throws Exception {
    Path root = Path.of(System.getProperty("pulse.basedir", ".")).toAbsolutePath();
    Path example = root.resolve("examples/hello-job");
    Path copy = buildDir.resolve("hello-job");
    copyTree(example, copy);
    Path log = buildDir.resolve("maven.log");
    Process mvn = new ProcessBuilder(root.resolve("mvnw").toString(), "-B", "-ntp", "-o", "-f",
        copy.resolve("pom.xml").toString(), "package", "-Dpulse.jar=" + DaemonProcess.jar())
        .directory(copy.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!mvn.waitFor(5, TimeUnit.MINUTES)) {
      mvn.destroyForcibly();
      throw new IllegalStateException("the example's Maven build did not finish in 5 minutes:\n" + Files.readString(log));
    }
    assertThat(mvn.exitValue()).as("mvn package of examples/hello-job:\n%s", Files.readString(log)).isZero();
    pluginJar = copy.resolve("target/hello-job.jar");
    assertThat(pluginJar).isRegularFile();
  }

  private DaemonProcess daemon(Map<String, String> env) throws IOException {
    DaemonProcess d = new DaemonProcess(dir, env);
    Files.copy(pluginJar, d.pluginsDir().resolve("hello-job.jar"));
    return d;
  }

  @Test
  void thePluginJarHoldsTheJobAndItsServicesFileButNotPulse() throws Exception {
    try (var jar = new java.util.jar.JarFile(pluginJar.toFile())) {
      assertThat(jar.getEntry("com/example/hello/HelloJob.class")).isNotNull();
      String services = new String(jar.getInputStream(jar.getEntry("META-INF/services/pulse.api.Job")).readAllBytes(),
          StandardCharsets.UTF_8);
      assertThat(services.trim()).isEqualTo("com.example.hello.HelloJob");
      assertThat(jar.getEntry("pulse/api/Job.class")).as("Pulse's API must come from Pulse, not the plugin").isNull();
    }
  }

  /** Without a daemon, {@code jobs} and {@code run} work in the CLI's own process. */
  @Test
  void withoutADaemonTheCliListsAndRunsThePluginJob() throws Exception {
    DaemonProcess d = daemon(Map.of("HELLO_GREETING", GREETING));

    DaemonProcess.Result jobs = d.cli("jobs");
    assertThat(jobs.exitCode()).as(jobs.output()).isZero();
    assertThat(jobs.output()).containsPattern("hello\\s+every 1m\\s.*enabled");

    DaemonProcess.Result run = d.cli("run", "hello");
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output()).contains("in this process").contains(GREETING + " at ").containsPattern("of hello: success");

    try (Database db = Database.openEmbedded(d.stateDir())) {
      List<RunRecord> runs = new JdbcRunHistory(db).recent(new RunQuery("hello", false, 10));
      assertThat(runs).singleElement().satisfies(r -> {
        assertThat(r.outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(r.trigger()).isEqualTo("manual");
        assertThat(r.outputTail()).contains(GREETING);
        assertThat(r.summary()).containsEntry("greeting_chars", GREETING.length());
      });
    }
  }

  @Test
  void theDaemonLoadsThePluginSchedulesItAndRunsItOnRequest() throws Exception {
    Map<String, String> env = Map.of("PULSE_API_TOKEN", TOKEN, "HELLO_GREETING", GREETING,
        "PULSE_JOB_HELLO_SCHEDULE", "every 2s");
    try (DaemonProcess d = daemon(env).start()) {
      DaemonProcess.Result jobs = d.cli("jobs");
      assertThat(jobs.exitCode()).as(jobs.output()).isZero();
      assertThat(jobs.output()).containsPattern("hello\\s+every 2s\\s.*enabled");

      DaemonProcess.Result run = d.cli("run", "hello");
      assertThat(run.exitCode()).as(run.output()).isZero();
      assertThat(run.output()).contains("started by the daemon").contains(GREETING).containsPattern("of hello: success");

      await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
        DaemonProcess.Result runs = d.cli("runs", "--job", "hello");
        assertThat(runs.exitCode()).isZero();
        assertThat(runs.output()).containsPattern("hello\\s+manual\\s.*success").containsPattern("hello\\s+schedule\\s.*success");
      });
      assertThat(d.output()).contains(GREETING).doesNotContain("Plugin problem");
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path rel = from.relativize(p);
        if (rel.startsWith("target")) {
          continue;
        }
        Path dest = to.resolve(rel.toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dest);
        } else {
          Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
