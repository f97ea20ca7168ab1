package pulse.jobs.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.jobs.shared.Subprocess;
import pulse.store.Outcome;
import pulse.store.RunRecord;

/** The backup job against the real restic and real local repositories. */
class BackupJobTest {
  @TempDir Path dir;
  Path repo;
  Path src;

  @BeforeEach
  void repository() throws IOException {
    ResticFixture.assumeRestic();
    repo = ResticFixture.newRepo(dir);
    src = Files.createDirectories(dir.resolve("src"));
    Files.writeString(src.resolve("notes.txt"), "keep me");
  }

  private Map<String, String> env(String... more) {
    Map<String, String> env = new HashMap<>();
    env.put("RESTIC_REPOSITORY", repo.toString());
    env.put("RESTIC_PASSWORD", ResticFixture.PASSWORD);
    env.put("PULSE_BACKUP_PATHS", src.toString());
    for (int i = 0; i < more.length; i += 2) {
      env.put(more[i], more[i + 1]);
    }
    return env;
  }

  private RunRecord run(String jobId, Map<String, String> env) {
    return new BackupHarness(dir.resolve("state"), env).run(jobId);
  }

  private List<String> ls() throws IOException {
    Subprocess.Result r = ResticFixture.restic(repo, "ls", "latest", "--no-lock");
    assertThat(r.ok()).as(r.stderrText()).isTrue();
    return r.stdoutTail();
  }

  @Test
  void aBackupHonoursTheDefaultExclusionsAndTheExcludeFile() throws IOException {
    for (String f : List.of(".git/config", ".git/objects/ab/cdef", "web/node_modules/left-pad/index.js",
        "app/__pycache__/m.pyc", ".venv/bin/python", "app/main.py", "secrets/id.key")) {
      Files.createDirectories(src.resolve(f).getParent());
      Files.writeString(src.resolve(f), f);
    }
    Path excludes = Files.writeString(dir.resolve("excludes"), "*.key\n");

    RunRecord r = run("backup", env("PULSE_BACKUP_EXCLUDE_FILE", excludes.toString()));

    assertThat(r.outcome()).as(r.errorMessage()).isEqualTo(Outcome.SUCCESS);
    assertThat(r.summary()).containsKeys("snapshot_id", "data_added", "total_bytes_processed", "total_duration_s")
        .containsEntry("files_new", 3).containsEntry("files_changed", 0).containsEntry("snapshots_kept", 1)
        .containsEntry("snapshots_removed", 0);
    List<String> files = ls();
    assertThat(files).contains(src.resolve("notes.txt").toString(), src.resolve(".git/config").toString(),
        src.resolve("app/main.py").toString());
    assertThat(String.join("\n", files)).doesNotContain("objects", "node_modules", "__pycache__", ".venv", "id.key");
    assertThat(ResticFixture.locks(repo)).isEmpty();
  }

  @Test
  void forgetKeepsWhatTheRetentionPolicySaysOverSyntheticSnapshots() throws IOException {
    // a day well in the past, so "now" (the run's own snapshot) is in another hour, day and month
    LocalDateTime base = LocalDateTime.now().minusDays(60).truncatedTo(ChronoUnit.DAYS);
    List<LocalDateTime> times = List.of(base.withHour(10), base.withHour(11), base.withHour(12),
        base.minusDays(1).withHour(12), base.minusDays(2).withHour(12), base.minusDays(40).withHour(12));
    DateTimeFormatter f = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    for (LocalDateTime t : times) {
      Subprocess.Result r = ResticFixture.restic(repo, "backup", "-q", "--time", f.format(t), "--tag", "pulse",
          "--host", "box", src.toString());
      assertThat(r.ok()).as(r.stderrText()).isTrue();
    }
    // a snapshot made by hand, without Pulse's tag: forget must leave it alone
    assertThat(ResticFixture.restic(repo, "backup", "-q", "--time", f.format(base.minusDays(50)), "--tag", "manual",
        "--host", "box", src.toString()).ok()).isTrue();

    RunRecord r = run("backup", env("PULSE_BACKUP_HOST", "box", "PULSE_BACKUP_KEEP_HOURLY", "3",
        "PULSE_BACKUP_KEEP_DAILY", "3", "PULSE_BACKUP_KEEP_WEEKLY", "0", "PULSE_BACKUP_KEEP_MONTHLY", "0"));

    // hourly 3: now, base 12:00, base 11:00; daily 3: today, base (12:00), base-1d. Removed: base 10:00,
    // base-2d, base-40d.
    assertThat(r.outcome()).as(r.errorMessage()).isEqualTo(Outcome.SUCCESS);
    assertThat(r.summary()).containsEntry("snapshots_kept", 4).containsEntry("snapshots_removed", 3)
        .containsEntry("pruned", true);
    Subprocess.Result left = ResticFixture.restic(repo, "snapshots", "--json", "--no-lock");
    String json = left.stdoutText();
    for (LocalDateTime kept : List.of(base.withHour(11), base.withHour(12), base.minusDays(1).withHour(12))) {
      assertThat(json).contains(DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(kept).substring(0, 16));
    }
    for (LocalDateTime gone : List.of(base.withHour(10), base.minusDays(2).withHour(12), base.minusDays(40).withHour(12))) {
      assertThat(json).doesNotContain(DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(gone).substring(0, 16));
    }
    assertThat(json).contains("\"manual\"");
  }

  @Test
  void withAPruneScheduleForgetDoesNotPruneAndThePruneJobIsEnabled() {
    BackupHarness h = new BackupHarness(dir.resolve("state"), env("PULSE_BACKUP_PRUNE_SCHEDULE", "0 3 * * 0"));
    assertThat(h.planned("backup-prune").enabled()).isTrue();
    assertThat(h.planned("backup-prune").schedule().text()).isEqualTo("0 3 * * 0");

    RunRecord backup = h.run("backup");
    assertThat(backup.outcome()).as(backup.errorMessage()).isEqualTo(Outcome.SUCCESS);
    assertThat(backup.summary()).containsEntry("pruned", false);
    RunRecord prune = h.run("backup-prune");
    assertThat(prune.outcome()).as(prune.errorMessage()).isEqualTo(Outcome.SUCCESS);

    BackupHarness without = new BackupHarness(dir.resolve("state2"), env());
    assertThat(without.planned("backup-prune").enabled()).isFalse();
    assertThat(without.planned("backup-prune").disabledReason()).contains("PULSE_BACKUP_PRUNE_SCHEDULE");
  }

  @Test
  void aWrongPasswordFailsWithAMessageThatSaysWhatToCheck() {
    RunRecord r = run("backup", env("RESTIC_PASSWORD", "not-the-password"));
    assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(r.errorMessage()).contains("wrong password for repository " + repo).contains("RESTIC_PASSWORD");
  }

  @Test
  void aMissingRepositoryFailsAndPointsToInit() {
    RunRecord r = run("backup", env("RESTIC_REPOSITORY", dir.resolve("nowhere").toString()));
    assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(r.errorMessage()).contains("no repository at " + dir.resolve("nowhere")).contains("pulse backup init");
  }

  @Test
  void anUnreachableBackendIsNamedAsSuch() {
    RunRecord r = run("backup", env("PULSE_BACKUP_REPOSITORY", "rest:http://127.0.0.1:1/"));
    assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(r.errorMessage()).contains("unreachable").contains("rest:http://127.0.0.1:1/");
  }

  @Test
  void missingSourcePathsFailWhenAllAreMissingAndWarnWhenSomeAre() {
    Path gone = dir.resolve("gone");
    RunRecord all = run("backup", env("PULSE_BACKUP_PATHS", gone.toString()));
    assertThat(all.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(all.errorMessage()).contains("none of the paths in PULSE_BACKUP_PATHS exists");

    RunRecord some = run("backup", env("PULSE_BACKUP_PATHS", src + "," + gone));
    assertThat(some.outcome()).isEqualTo(Outcome.PARTIAL);
    assertThat(some.errorMessage()).contains(gone.toString()).contains("do not exist");
    assertThat(some.summary()).containsKey("snapshot_id");
  }

  /**
   * A file the backup cannot read. chmod 000 does not stop root (CAP_DAC_OVERRIDE), so as root restic
   * runs with those two capabilities dropped from its bounding set by setpriv(1): still the real
   * restic reading a real file, refused by the kernel with EACCES exactly as for an ordinary user.
   */
  @Test
  void anUnreadableFileMakesAPartialRunWithTheSnapshotStillMade() throws IOException {
    Path secret = Files.writeString(src.resolve("locked.txt"), "no access");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));
    Map<String, String> env = env();
    if ("root".equals(System.getProperty("user.name"))) {
      Path wrapper = dir.resolve("restic-without-dac-override");
      Files.writeString(wrapper, "#!/bin/sh\nexec setpriv --bounding-set=-dac_override,-dac_read_search restic \"$@\"\n");
      Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
      env.put("PULSE_BACKUP_RESTIC", wrapper.toString());
    }

    RunRecord r = run("backup", env);

    assertThat(r.outcome()).as(r.errorMessage()).isEqualTo(Outcome.PARTIAL);
    assertThat(r.outcome().isFailure()).isFalse();
    assertThat(r.errorMessage()).contains("1 file(s) could not be read").contains(secret.toString())
        .contains("was still made");
    assertThat(r.summary()).containsEntry("files_unreadable", 1).containsKey("snapshot_id");
    assertThat(ResticFixture.restic(repo, "snapshots", "--json", "--no-lock").stdoutText()).contains(
        (String) r.summary().get("snapshot_id"));
  }

  @Test
  void aStaleLockLeftByAKilledBackupIsRemovedByTheNextRun() throws Exception {
    ResticFixture.randomFile(src.resolve("big.bin"), 8 << 20);
    ProcessBuilder pb = new ProcessBuilder(ResticFixture.command("backup", "--limit-upload", "256", src.toString()))
        .redirectErrorStream(true).redirectOutput(dir.resolve("killed.log").toFile());
    pb.environment().putAll(ResticFixture.env(repo));
    Process p = pb.start();
    await().atMost(Duration.ofSeconds(30)).until(() -> !ResticFixture.locks(repo).isEmpty());
    p.destroyForcibly(); // SIGKILL: restic cannot remove its lock
    p.waitFor();
    assertThat(ResticFixture.locks(repo)).hasSize(1);

    RunRecord r = run("backup", env());

    assertThat(r.outcome()).as(r.errorMessage()).isEqualTo(Outcome.SUCCESS);
    assertThat(r.summary()).containsEntry("stale_locks_removed", 1);
    assertThat(r.outputTail()).contains("removed stale lock(s)").contains("PID " + p.pid());
    assertThat(ResticFixture.locks(repo)).isEmpty();
  }

  @Test
  void aLiveLockIsReportedAndNotBroken() throws Exception {
    ResticFixture.randomFile(src.resolve("big.bin"), 4 << 20);
    ProcessBuilder pb = new ProcessBuilder(ResticFixture.command("backup", "--limit-upload", "128", src.toString()))
        .redirectErrorStream(true).redirectOutput(dir.resolve("live.log").toFile());
    pb.environment().putAll(ResticFixture.env(repo));
    Process live = pb.start();
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> !ResticFixture.locks(repo).isEmpty());

      RunRecord r = run("backup", env());

      assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
      assertThat(r.errorMessage()).contains("locked by a live restic").contains("PID " + live.pid())
          .contains("not breaking it");
      assertThat(live.isAlive()).isTrue();
      assertThat(ResticFixture.locks(repo)).isNotEmpty();
    } finally {
      new ProcessBuilder("kill", "-INT", String.valueOf(live.pid())).start().waitFor();
      live.waitFor();
    }
    assertThat(ResticFixture.locks(repo)).isEmpty(); // SIGINT: restic removed its own lock
  }

  @Test
  void stoppingTheDaemonDuringABackupSendsSigintAndLeavesNoLock() throws Exception {
    ResticFixture.randomFile(src.resolve("big.bin"), 8 << 20);
    BackupHarness h = new BackupHarness(dir.resolve("state"), env("PULSE_BACKUP_LIMIT_UPLOAD", "256"));
    try (BackupHarness.Runner runner = h.new Runner()) {
      long id = runner.fire("backup");
      await().atMost(Duration.ofSeconds(30)).until(() -> !ResticFixture.locks(repo).isEmpty());
      Thread.sleep(ResticFixture.LOCK_SETTLE.toMillis());

      runner.runner.shutdown(Duration.ofSeconds(20));

      RunRecord r = runner.history.find(id).orElseThrow();
      assertThat(r.outcome()).isEqualTo(Outcome.INTERRUPTED);
      assertThat(r.duration()).isLessThan(Duration.ofSeconds(20));
    }
    assertThat(ResticFixture.locks(repo)).isEmpty();
  }

  @Test
  void aBackupPastItsTimeoutIsStoppedWithSigintAndLeavesNoLock() throws Exception {
    ResticFixture.randomFile(src.resolve("big.bin"), 8 << 20);
    BackupHarness h = new BackupHarness(dir.resolve("state"), env("PULSE_BACKUP_LIMIT_UPLOAD", "256",
        "PULSE_JOB_BACKUP_TIMEOUT", "3s"));
    RunRecord r = h.run("backup");
    assertThat(r.outcome()).isEqualTo(Outcome.TIMEOUT);
    assertThat(r.duration()).isLessThan(Duration.ofSeconds(20));
    assertThat(ResticFixture.locks(repo)).isEmpty();
  }

  @Test
  void checkRunsWithAReadDataSubset() {
    assertThat(run("backup", env()).outcome()).isEqualTo(Outcome.SUCCESS);
    RunRecord r = run("backup-check", env("PULSE_BACKUP_CHECK_READ_DATA_SUBSET", "50%"));
    assertThat(r.outcome()).as(r.errorMessage()).isEqualTo(Outcome.SUCCESS);
    assertThat(r.summary()).containsEntry("read_data_subset", "50%").containsEntry("errors_found", false);
    assertThat(r.outputTail()).contains("no errors were found");
  }
}
