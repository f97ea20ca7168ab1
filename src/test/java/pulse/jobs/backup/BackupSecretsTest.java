package pulse.jobs.backup;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import pulse.api.JobFailedException;
import pulse.config.Redactor;
import pulse.store.Outcome;
import pulse.store.RunRecord;

/** The repository password and backend credentials reach restic, and nothing else. */
class BackupSecretsTest {
  static final String AWS_SECRET = "aws-" + java.util.UUID.randomUUID();
  @TempDir Path dir;
  Path repo;
  Path src;
  ListAppender<ILoggingEvent> logs = new ListAppender<>();
  Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

  @BeforeEach
  void setUp() throws IOException {
    ResticFixture.assumeRestic();
    repo = ResticFixture.newRepo(dir);
    src = Files.createDirectories(dir.resolve("src"));
    Files.writeString(src.resolve("a.txt"), "a");
    logs.start();
    root.addAppender(logs);
  }

  @AfterEach
  void tearDown() {
    root.detachAppender(logs);
    Redactor.install(new Redactor(List.of()));
  }

  /** restic started through a wrapper that records the environment it got. */
  private Path envDumpingRestic(Path dump) throws IOException {
    Path wrapper = dir.resolve("restic-env");
    Files.writeString(wrapper, "#!/bin/sh\nenv > '" + dump + "'\nexec restic \"$@\"\n");
    Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
    return wrapper;
  }

  @Test
  void envFileSecretsArePassedToResticButNeverLoggedStoredOrTraced() throws Exception {
    Path dump = dir.resolve("env.txt");
    // the password and the AWS key from the env file, as a user would keep them: not in Pulse's environment
    BackupHarness h = new BackupHarness(dir.resolve("state"),
        Map.of("RESTIC_PASSWORD", ResticFixture.PASSWORD, "AWS_SECRET_ACCESS_KEY", AWS_SECRET),
        Map.of("RESTIC_REPOSITORY", repo.toString(), "PULSE_BACKUP_PATHS", src.toString(),
            "PULSE_BACKUP_RESTIC", envDumpingRestic(dump).toString()));
    Redactor.install(h.config.redactor());

    RunRecord ok = h.run("backup");
    assertThat(ok.outcome()).as(ok.errorMessage()).isEqualTo(Outcome.SUCCESS);
    assertThat(Files.readAllLines(dump)).contains("RESTIC_PASSWORD=" + ResticFixture.PASSWORD,
        "AWS_SECRET_ACCESS_KEY=" + AWS_SECRET, "RESTIC_REPOSITORY=" + repo);

    RunRecord failed = new BackupHarness(dir.resolve("state2"),
        Map.of("RESTIC_PASSWORD", ResticFixture.PASSWORD, "AWS_SECRET_ACCESS_KEY", AWS_SECRET),
        Map.of("RESTIC_REPOSITORY", dir.resolve("missing").toString(), "PULSE_BACKUP_PATHS", src.toString()))
        .run("backup");
    assertThat(failed.outcome()).isEqualTo(Outcome.FAILED);

    List<String> seen = new ArrayList<>();
    for (RunRecord r : List.of(ok, failed)) {
      seen.add(r.errorMessage());
      seen.add(r.outputTail());
      seen.add(String.valueOf(r.summary()));
    }
    for (ILoggingEvent e : logs.list) {
      seen.add(e.getFormattedMessage());
      if (e.getThrowableProxy() != null) {
        seen.add(ThrowableProxyUtil.asString(e.getThrowableProxy()));
      }
    }
    assertThat(logs.list).isNotEmpty();
    assertThat(String.join("\n", seen.stream().map(String::valueOf).toList()))
        .doesNotContain(ResticFixture.PASSWORD).doesNotContain(AWS_SECRET);
  }

  @Test
  void spansCarryTheSummaryButNoSecret() throws Exception {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    try (SdkTracerProvider tracing = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()) {
      BackupHarness h = new BackupHarness(dir.resolve("state"), Map.of("RESTIC_REPOSITORY", repo.toString(),
          "RESTIC_PASSWORD", ResticFixture.PASSWORD, "AWS_SECRET_ACCESS_KEY", AWS_SECRET,
          "PULSE_BACKUP_PATHS", src.toString()));
      Span span = tracing.get("test").spanBuilder("pulse.job backup").startSpan();
      RecordingContext ctx = new RecordingContext(h.config.settings(), span);
      new BackupJob(h.extension).run(ctx);
      span.end();

      BackupHarness wrong = new BackupHarness(dir.resolve("state2"), Map.of("RESTIC_REPOSITORY", repo.toString(),
          "RESTIC_PASSWORD", ResticFixture.PASSWORD + "-wrong", "PULSE_BACKUP_PATHS", src.toString()));
      Span failing = tracing.get("test").spanBuilder("pulse.job backup").startSpan();
      RecordingContext failingCtx = new RecordingContext(wrong.config.settings(), failing);
      String error = "";
      try {
        new BackupJob(wrong.extension).run(failingCtx);
      } catch (JobFailedException e) {
        error = e.getMessage();
        failing.recordException(e);
      }
      failing.end();
      assertThat(error).contains("wrong password");

      List<SpanData> spans = exporter.getFinishedSpanItems();
      assertThat(spans).hasSize(2);
      SpanData done = spans.get(0);
      assertThat(done.getAttributes().asMap().keySet().stream().map(Object::toString))
          .contains("pulse.summary.snapshot_id", "pulse.summary.files_new", "pulse.summary.data_added",
              "pulse.summary.snapshots_kept", "pulse.summary.snapshots_removed");
      assertThat(done.getEvents()).extracting(e -> e.getName()).containsExactly("restic backup", "restic forget");
      String everything = spans.toString() + ctx.output + failingCtx.output + error;
      assertThat(everything).doesNotContain(ResticFixture.PASSWORD).doesNotContain(AWS_SECRET);
    }
  }
}
