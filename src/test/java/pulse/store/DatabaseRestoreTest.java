package pulse.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.api.Trigger;

/** A db-backup zip restores a database that an empty file made unusable. */
class DatabaseRestoreTest {
  @TempDir Path dir;

  @Test
  void aBackupRestoresTheDatabaseAsItWasAndKeepsTheReplacedFile() throws Exception {
    Path backup = dir.resolve("backups/pulse-20261201-033000.zip");
    Files.createDirectories(backup.getParent());
    try (Database db = Database.openEmbedded(dir)) {
      db.migrate();
      JdbcRunHistory h = new JdbcRunHistory(db);
      for (int i = 0; i < 7; i++) {
        h.begin(new NewRun("before-backup", Trigger.MANUAL.label(), Instant.now(), Instant.now(), null));
      }
      try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
        s.execute("BACKUP TO '" + backup + "'"); // what db-backup runs
      }
      h.begin(new NewRun("after-backup", Trigger.MANUAL.label(), Instant.now(), Instant.now(), null));
    }
    Files.write(dir.resolve("pulse.mv.db"), new byte[0]); // the crash that made it unusable
    assertThatThrownBy(() -> Database.openEmbedded(dir)).hasMessageContaining("pulse db restore " + backup);

    DatabaseRestore.Restored r = DatabaseRestore.restore(dir, backup, Instant.parse("2026-12-02T10:00:00Z"));

    assertThat(r.runs()).isEqualTo(7);
    assertThat(r.previous()).hasFileName("pulse.mv.db.before-restore-20261202-100000");
    assertThat(Files.size(r.previous())).isZero();
    try (Database db = Database.openEmbedded(dir)) {
      db.migrate();
      assertThat(MigrationKillTest.count(db, "SELECT COUNT(*) FROM pulse_runs WHERE job_id = 'before-backup'")).isEqualTo(7);
    }
    assertThat(dir.resolve("pulse-restore.mv.db")).doesNotExist();
  }

  @Test
  void aRunningDaemonsDatabaseIsNotReplaced() throws Exception {
    Path backup = dir.resolve("b.zip");
    try (Database db = Database.openEmbedded(dir)) {
      db.migrate();
      try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
        s.execute("BACKUP TO '" + backup + "'");
      }
      assertThatThrownBy(() -> DatabaseRestore.restore(dir, backup, Instant.now()))
          .hasMessageContaining("in use by a running Pulse: stop it first");
    }
  }

  @Test
  void aFileThatIsNotABackupIsRefusedAndNothingIsReplaced() throws Exception {
    Path bogus = Files.writeString(dir.resolve("bogus.zip"), "not a zip");
    Files.write(dir.resolve("pulse.mv.db"), new byte[0]);
    assertThatThrownBy(() -> DatabaseRestore.restore(dir, bogus, Instant.now())).hasMessageContaining("is not a Pulse database backup");
    assertThatThrownBy(() -> DatabaseRestore.restore(dir, dir.resolve("missing.zip"), Instant.now())).hasMessageContaining("no backup file");
    assertThat(dir.resolve("pulse.mv.db")).exists();
  }
}
