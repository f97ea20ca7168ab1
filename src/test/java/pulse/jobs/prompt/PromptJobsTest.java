package pulse.jobs.prompt;

import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import pulse.testing.StoreBackend;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.OpenTelemetry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipFile;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.api.CheckEvent;
import pulse.api.ExtensionContext;
import pulse.api.JobFailedException;
import pulse.api.Settings;
import pulse.api.Transactions;
import pulse.store.Database;
import pulse.store.GroupCommit;

/** The family's built-in jobs, run directly with a started extension on a real database. */
@ParameterizedClass
@EnumSource(StoreBackend.class)
class PromptJobsTest {
  @Parameter StoreBackend backend;
  @TempDir Path dir;
  Database db;
  PromptExtension ext;
  Map<String, String> env = new HashMap<>();

  @BeforeEach
  void open() {
    db = PromptTesting.database(backend, dir.resolve("state"));
  }

  @AfterEach
  void close() {
    if (ext != null) {
      ext.stop();
    }
    db.close();
  }

  private PromptExtension started(Clock clock) {
    env.putIfAbsent(PromptSettings.COMMAND, "true");
    env.putIfAbsent(PromptSettings.POLL_INTERVAL, "10m"); // keep heartbeat pulses pending for the test
    Settings s = PromptTesting.settings(env);
    ext = new PromptExtension();
    ext.start(context(s, clock, db.dataSource(), dir.resolve("state")));
    return ext;
  }

  static ExtensionContext context(Settings s, Clock clock, DataSource ds, Path state) {
    return context(s, clock, ds, state, pulse.api.Notifications.NONE);
  }

  /** A context whose notification service is {@code notices} (the alerting family's, in a test that starts it). */
  static ExtensionContext context(Settings s, Clock clock, DataSource ds, Path state, pulse.api.Notifications notices) {
    Transactions writes = new GroupCommit(ds);
    return new ExtensionContext() {
      @Override public pulse.api.Notifications notifications() { return notices; }
      @Override public Settings settings() { return s; }
      @Override public Clock clock() { return clock; }
      @Override public DataSource dataSource() { return ds; }
      @Override public Transactions transactions() { return writes; }
      @Override public OpenTelemetry openTelemetry() { return OpenTelemetry.noop(); }
      @Override public Path stateDir() { return state; }
      @Override public Set<String> jobIds() { return Set.of(); }
      @Override public Map<String, Instant> lastSuccessByJob() { return Map.of(); }
      @Override public void publish(CheckEvent event) {}
    };
  }

  private HeartbeatJob heartbeat() {
    return (HeartbeatJob) ext.jobs().stream().filter(j -> j.id().equals(HeartbeatJob.ID)).findFirst().orElseThrow();
  }

  @Test
  void heartbeatPicksThePromptByTimeOfDayAndSkipsWhileOneIsPending() throws Exception {
    env.put("PULSE_TIMEZONE", "UTC");
    env.put(PromptSettings.HEARTBEAT_EVENING, "Evening {time}: wrap up");
    env.put(PromptSettings.COMMAND, "sleep 30"); // the heartbeat pulse stays open (running) for the second run
    Clock evening = Clock.fixed(Instant.parse("2026-05-01T19:05:00Z"), ZoneOffset.UTC);
    started(evening);
    PromptQueue queue = new PromptQueue(db.store());
    PromptTesting.Ctx ctx = new PromptTesting.Ctx(PromptTesting.settings(env), evening);

    heartbeat().run(ctx);
    PromptPulse p = queue.recent(10).get(0);
    assertThat(p.prompt()).isEqualTo("Evening 19:05: wrap up");
    assertThat(p.source()).isEqualTo("heartbeat");
    assertThat(p.priority()).isEqualTo(Priority.LOW);
    assertThat(ctx.summary).containsEntry("part_of_day", "evening");

    PromptTesting.Ctx again = new PromptTesting.Ctx(PromptTesting.settings(env), evening);
    heartbeat().run(again);
    assertThat(again.summary).containsEntry("skipped", true);
    assertThat(queue.recent(10)).hasSize(1);
  }

  @Test
  void theHeartbeatStaysOffUntilTheAgentCommandExists() {
    HeartbeatJob job = new HeartbeatJob(null); // the reason needs only the settings
    assertThat(job.unavailableReason(PromptTesting.settings(Map.of("PULSE_PROMPT_COMMAND", "no-such-agent-xyz --text"))))
        .hasValue("needs PULSE_PROMPT_COMMAND: 'no-such-agent-xyz' is not on PATH");
    assertThat(job.unavailableReason(PromptTesting.settings(Map.of("PULSE_PROMPT_COMMAND", "/bin/echo")))).isEmpty();
    assertThat(job.unavailableReason(PromptTesting.settings(Map.of("PULSE_PROMPT_COMMAND", "sh -c")))).isEmpty();
  }

  @Test
  void partsOfTheDayHaveTheirBoundaries() {
    assertThat(HeartbeatJob.partOfDay(5)).isEqualTo("night");
    assertThat(HeartbeatJob.partOfDay(6)).isEqualTo("morning");
    assertThat(HeartbeatJob.partOfDay(11)).isEqualTo("morning");
    assertThat(HeartbeatJob.partOfDay(12)).isEqualTo("afternoon");
    assertThat(HeartbeatJob.partOfDay(18)).isEqualTo("evening");
    assertThat(HeartbeatJob.partOfDay(21)).isEqualTo("evening");
    assertThat(HeartbeatJob.partOfDay(22)).isEqualTo("night");
    assertThat(HeartbeatJob.partOfDay(0)).isEqualTo("night");
  }

  @Test
  void credentialKeepaliveRunsEveryProviderAndFailsTheRunIfOneFails() throws Exception {
    Path providers = Files.createDirectories(dir.resolve("providers"));
    PromptTesting.script(providers, "10-gh", "echo 'secret-token-abc'");
    PromptTesting.script(providers, "20-broken", "echo 'refresh token revoked' >&2; exit 2");
    PromptTesting.script(providers, "30-gcloud", "exit 0");
    Files.writeString(providers.resolve("README"), "not executable");
    env.put(PromptSettings.PROVIDERS_DIR, providers.toString());
    CredentialKeepaliveJob job = new CredentialKeepaliveJob();
    PromptTesting.Ctx ctx = new PromptTesting.Ctx(PromptTesting.settings(env), Clock.systemUTC());

    assertThatThrownBy(() -> job.run(ctx)).isInstanceOf(JobFailedException.class)
        .hasMessageContaining("1 of 3 credential provider(s) failed: 20-broken (exit 2: refresh token revoked)");
    assertThat(ctx.summary).containsEntry("provider.10-gh", "ok").containsEntry("provider.30-gcloud", "ok")
        .containsEntry("provider.20-broken", "exit 2: refresh token revoked").containsEntry("failed", 1);
    assertThat(String.join("\n", ctx.output)).doesNotContain("secret-token-abc");

    Files.delete(providers.resolve("20-broken"));
    PromptTesting.Ctx ok = new PromptTesting.Ctx(PromptTesting.settings(env), Clock.systemUTC());
    job.run(ok);
    assertThat(ok.summary).containsEntry("failed", 0).containsEntry("providers", 2);
  }

  @Test
  void credentialKeepaliveIsDisabledWithoutItsDirectory() {
    CredentialKeepaliveJob job = new CredentialKeepaliveJob();
    assertThat(job.settings()).anySatisfy(s -> {
      assertThat(s.key()).isEqualTo(PromptSettings.PROVIDERS_DIR);
      assertThat(s.required()).isTrue();
    });
    env.put(PromptSettings.PROVIDERS_DIR, dir.resolve("missing").toString());
    assertThat(job.unavailableReason(PromptTesting.settings(env))).get().asString().contains("is not a directory");
  }

  @Test
  void dbBackupWritesAConsistentZipWhilePulseWritesAndDeletesOldOnes() throws Exception {
    started(Clock.systemUTC());
    PromptQueue queue = new PromptQueue(db.store());
    for (int i = 0; i < 50; i++) {
      queue.insert(NewPulse.of("backup me " + i, Instant.now().plusSeconds(3600), Priority.NORMAL, "test"), Instant.now());
    }
    Path backups = Files.createDirectories(dir.resolve("state/backups"));
    Path old = Files.writeString(backups.resolve("pulse-20200101-000000.zip"), "old");
    Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofDays(31))));
    Path recent = Files.writeString(backups.resolve("pulse-20990101-000000.zip"), "recent");
    DbBackupJob job = (DbBackupJob) ext.jobs().stream().filter(j -> j.id().equals(DbBackupJob.ID)).findFirst().orElseThrow();
    PromptTesting.Ctx ctx = new PromptTesting.Ctx(PromptTesting.settings(env), Clock.systemUTC());

    if (backend == StoreBackend.POSTGRESQL) {
      // BACKUP TO is H2's; a PostgreSQL user backs up with PostgreSQL's tools, and the run says so
      assertThatThrownBy(() -> job.run(ctx)).isInstanceOf(JobFailedException.class)
          .hasMessageContaining("backs up the embedded H2 database only").hasMessageContaining("pg_dump");
      return;
    }
    job.run(ctx);

    Path zip = Path.of((String) ctx.summary.get("file"));
    assertThat(zip).exists().hasParent(backups);
    assertThat(old).doesNotExist();
    assertThat(recent).exists();
    assertThat(ctx.summary).containsEntry("deleted", 1);
    try (ZipFile z = new ZipFile(zip.toFile())) {
      assertThat(z.stream().map(e -> e.getName()).toList()).contains("pulse.mv.db");
    }
    // the backup is a working database with the pulses in it
    Path restored = Files.createDirectories(dir.resolve("restored"));
    try (ZipFile z = new ZipFile(zip.toFile())) {
      Files.copy(z.getInputStream(z.getEntry("pulse.mv.db")), restored.resolve("pulse.mv.db"));
    }
    try (Database r = Database.openEmbedded(restored);
        Connection c = r.dataSource().getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM pulse_prompts")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(50);
    }
    assertThat(Files.list(backups).map(p -> p.getFileName().toString()).toList()).noneMatch(n -> n.startsWith(".partial"));
  }

  @Test
  void aJobRunWithoutTheDaemonFailsWithAClearMessage() {
    ext = new PromptExtension();
    HeartbeatJob job = (HeartbeatJob) ext.jobs().get(0);
    PromptTesting.Ctx ctx = new PromptTesting.Ctx(PromptTesting.settings(env), Clock.systemUTC());
    assertThatThrownBy(() -> job.run(ctx)).isInstanceOf(JobFailedException.class).hasMessageContaining("not running");
    ext = null;
  }
}
