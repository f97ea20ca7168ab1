package pulse.jobs.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.testing.DaemonProcess;

/** The built jar with backups configured: init, check, run, snapshots, and a stop mid-backup. */
class BackupIT {
  @TempDir Path dir;
  Path repo;
  Path src;
  DaemonProcess pulse;

  @BeforeEach
  void setUp() throws Exception {
    ResticFixture.assumeRestic();
    repo = dir.resolve("repo");
    src = Files.createDirectories(dir.resolve("src"));
    Files.writeString(src.resolve("a.txt"), "a");
    // the password in the env file, as the README suggests: never in the unit or the process list
    Path envFile = Files.writeString(dir.resolve(".env"), "RESTIC_PASSWORD=" + ResticFixture.PASSWORD + "\n");
    Files.setPosixFilePermissions(envFile, PosixFilePermissions.fromString("rw-------"));
    pulse = new DaemonProcess(dir, Map.of("RESTIC_REPOSITORY", repo.toString(), "PULSE_BACKUP_PATHS", src.toString(),
        "PULSE_ENV_FILE", envFile.toString()));
  }

  @Test
  void initCheckRunAndListSnapshotsFromTheCommandLine() throws Exception {
    DaemonProcess.Result init = pulse.cli("backup", "init");
    assertThat(init.exitCode()).as(init.output()).isZero();
    assertThat(init.output()).contains("initialised repository " + repo);

    DaemonProcess.Result check = pulse.cli("check");
    assertThat(check.output()).contains("ok    job backup (@hourly)").contains("ok    job backup-check (@weekly)")
        .contains("skip  job backup-prune");

    DaemonProcess.Result run = pulse.cli("run", "backup");
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output()).contains("running backup in this process").contains("of backup: success");

    DaemonProcess.Result list = pulse.cli("backup", "snapshots");
    assertThat(list.exitCode()).as(list.output()).isZero();
    assertThat(list.output()).contains(src.toString()).contains("1 snapshot(s)");

    for (DaemonProcess.Result r : new DaemonProcess.Result[] {init, check, run, list}) {
      assertThat(r.output()).doesNotContain(ResticFixture.PASSWORD);
    }
  }

  @Test
  void sigtermDuringABackupStopsResticWithSigintAndLeavesNoLock() throws Exception {
    assertThat(pulse.cli("backup", "init").exitCode()).isZero();
    ResticFixture.randomFile(src.resolve("big.bin"), 8 << 20);
    pulse.env().put("PULSE_BACKUP_LIMIT_UPLOAD", "256");
    Process run = pulse.command("run", "backup").redirectOutput(dir.resolve("run.log").toFile()).start();
    await().atMost(Duration.ofSeconds(60)).until(() -> !ResticFixture.locks(repo).isEmpty());
    Thread.sleep(ResticFixture.LOCK_SETTLE.toMillis());

    long sent = System.nanoTime();
    new ProcessBuilder("kill", "-TERM", String.valueOf(run.pid())).start().waitFor();
    assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
    // 8 MiB at 256 KiB/s takes 32 s: ending well before means restic was stopped, not finished
    assertThat(Duration.ofNanos(System.nanoTime() - sent)).isLessThan(Duration.ofSeconds(20));

    assertThat(ResticFixture.locks(repo)).isEmpty();
    assertThat(Files.readString(dir.resolve("run.log"))).doesNotContain(ResticFixture.PASSWORD);
  }

  @Test
  void daemonStopDuringAScheduledBackupLeavesNoLockAndRecordsTheRunAsInterrupted() throws Exception {
    assertThat(pulse.cli("backup", "init").exitCode()).isZero();
    ResticFixture.randomFile(src.resolve("big.bin"), 8 << 20);
    pulse.env().put("PULSE_BACKUP_LIMIT_UPLOAD", "256");
    pulse.env().put("PULSE_JOB_BACKUP_SCHEDULE", "every 5s");
    // started without waiting for the HTTP API: the scheduler alone fires the backup
    Process daemon = pulse.command("daemon").redirectOutput(dir.resolve("daemon.log").toFile()).start();
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> !ResticFixture.locks(repo).isEmpty());
      Thread.sleep(ResticFixture.LOCK_SETTLE.toMillis());

      new ProcessBuilder("kill", "-TERM", String.valueOf(daemon.pid())).start().waitFor();
      assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).isTrue();
    } finally {
      daemon.destroyForcibly();
    }
    assertThat(ResticFixture.locks(repo)).isEmpty();
    String log = Files.readString(dir.resolve("daemon.log"));
    assertThat(log).contains("of backup ended as interrupted").doesNotContain(ResticFixture.PASSWORD);
  }
}
