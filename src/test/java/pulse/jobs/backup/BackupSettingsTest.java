package pulse.jobs.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.config.ConfigException;

/** When the backup jobs are enabled, what `pulse jobs` and `pulse check` say, and bad values. */
class BackupSettingsTest {
  @TempDir Path dir;

  @Test
  void withoutARepositoryEveryBackupJobIsDisabledNamingTheKeys() {
    BackupHarness h = new BackupHarness(dir, Map.of());
    for (String id : List.of("backup", "backup-check", "backup-prune")) {
      assertThat(h.planned(id).enabled()).as(id).isFalse();
    }
    assertThat(h.planned("backup-check").disabledReason())
        .isEqualTo("needs RESTIC_REPOSITORY or PULSE_BACKUP_REPOSITORY and RESTIC_PASSWORD or RESTIC_PASSWORD_FILE");
    assertThat(h.planned("backup").disabledReason()).isEqualTo("needs PULSE_BACKUP_PATHS");
  }

  @Test
  void aRepositoryAndAPasswordFileEnableBackupAndCheck() {
    BackupHarness h = new BackupHarness(dir, Map.of("PULSE_BACKUP_REPOSITORY", "/srv/restic",
        "RESTIC_PASSWORD_FILE", "/etc/pulse/restic.pw", "PULSE_BACKUP_PATHS", "/home"));
    assertThat(h.planned("backup").enabled()).isTrue();
    assertThat(h.planned("backup").schedule().text()).isEqualTo("@hourly");
    assertThat(h.planned("backup-check").enabled()).isTrue();
    assertThat(h.planned("backup-check").schedule().text()).isEqualTo("@weekly");
    assertThat(h.planned("backup-prune").enabled()).isFalse();
  }

  @Test
  void badValuesStopStartupWithTheKeyAndTheFix() {
    assertThatThrownBy(() -> new BackupHarness(dir, Map.of("PULSE_BACKUP_STALE_LOCK_AFTER", "5m",
        "PULSE_BACKUP_CHECK_READ_DATA_SUBSET", "half", "PULSE_BACKUP_KEEP_DAILY", "-1")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("PULSE_BACKUP_STALE_LOCK_AFTER='5m': shorter than 30m")
        .hasMessageContaining("PULSE_BACKUP_CHECK_READ_DATA_SUBSET='half'")
        .hasMessageContaining("PULSE_BACKUP_KEEP_DAILY='-1': negative");
  }

  @Test
  void preflightNamesAMissingBinary() {
    BackupHarness h = new BackupHarness(dir, Map.of("RESTIC_REPOSITORY", dir.resolve("r").toString(),
        "RESTIC_PASSWORD", "secret-pw", "PULSE_BACKUP_PATHS", dir.toString(), "PULSE_BACKUP_RESTIC", "/nonexistent/restic"));
    assertThat(h.planned("backup").job().preflight(h.config.settings()))
        .containsExactly("restic binary '/nonexistent/restic' not found; install it (apt-get install restic) or set"
            + " PULSE_BACKUP_RESTIC to its path");
  }

  @Test
  void preflightNamesAnUnreadablePasswordFileAMissingRepositoryAndMissingPaths() {
    ResticFixture.assumeRestic();
    BackupHarness noFile = new BackupHarness(dir, Map.of("RESTIC_REPOSITORY", dir.resolve("r").toString(),
        "RESTIC_PASSWORD_FILE", dir.resolve("pw").toString(), "PULSE_BACKUP_PATHS", dir.toString()));
    assertThat(noFile.planned("backup-check").job().preflight(noFile.config.settings())).singleElement()
        .asString().contains("RESTIC_PASSWORD_FILE=" + dir.resolve("pw") + " is not readable");

    BackupHarness noRepo = new BackupHarness(dir, Map.of("RESTIC_REPOSITORY", dir.resolve("r").toString(),
        "RESTIC_PASSWORD", "secret-pw", "PULSE_BACKUP_PATHS", dir.resolve("nope").toString()));
    List<String> problems = noRepo.planned("backup").job().preflight(noRepo.config.settings());
    assertThat(problems).hasSize(2);
    assertThat(problems.get(0)).contains("no repository at " + dir.resolve("r")).contains("pulse backup init");
    assertThat(problems.get(1)).contains("PULSE_BACKUP_PATHS entry " + dir.resolve("nope") + " does not exist");
  }

  @Test
  void resticErrorsAreClassifiedByTheirText() {
    assertThat(ResticFailure.classify("Fatal: wrong password or no key found")).isEqualTo(ResticFailure.WRONG_PASSWORD);
    assertThat(ResticFailure.classify("Fatal: unable to open config file: stat /x/config: no such file or directory\n"
        + "Is there a repository at the following location?")).isEqualTo(ResticFailure.NO_REPOSITORY);
    assertThat(ResticFailure.classify("Fatal: unable to open config file: client.Head: Head \"http://h/config\": dial tcp"
        + " 127.0.0.1:1: connect: connection refused")).isEqualTo(ResticFailure.UNREACHABLE);
    assertThat(ResticFailure.classify("unable to create lock in backend: repository is already locked by PID 1 on h"))
        .isEqualTo(ResticFailure.LOCKED);
    assertThat(ResticFailure.classify("Fatal: all target directories/files do not exist")).isEqualTo(ResticFailure.NO_SOURCE);
    assertThat(ResticFailure.classify("Resolving password failed: Fatal: /x/pw does not exist"))
        .isEqualTo(ResticFailure.PASSWORD_MISSING);
    assertThat(ResticFailure.classify("Fatal: repository contains errors")).isEqualTo(ResticFailure.DAMAGED);
  }

  @Test
  void forgetCountsComeFromItsFirstLineOnly() {
    String json = "[{\"host\":\"h\",\"keep\":[{\"id\":\"a\"},{\"id\":\"b\"}],\"remove\":[{\"id\":\"c\"}]},"
        + "{\"host\":\"h\",\"keep\":[{\"id\":\"d\"}],\"remove\":null}]";
    assertThat(BackupOutput.ForgetResult.parse(List.of(json, "1 snapshots have been removed, running prune",
        "[0:00] 100.00%  3 / 3 packs processed"))).isEqualTo(new BackupOutput.ForgetResult(3, 1));
    assertThat(BackupOutput.ForgetResult.parse(List.of())).isEqualTo(new BackupOutput.ForgetResult(0, 0));
  }

  @Test
  void everyBackupSettingIsInTheReadme() throws java.io.IOException {
    String readme = java.nio.file.Files.readString(Path.of("README.md"));
    for (pulse.api.Setting s : BackupSettings.all()) {
      assertThat(readme).as("README documents %s", s.key()).contains("| `" + s.key() + "` |");
    }
  }
}
