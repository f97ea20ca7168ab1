package pulse.store;

import pulse.api.store.StoreException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.api.Trigger;

/** An empty or cut database file is refused, naming the newest backup; never replaced silently. */
class DatabaseFilesTest {
  @TempDir Path dir;

  @Test
  void anEmptyFileIsRefusedNamingTheNewestBackupAndTheRestoreCommand() throws Exception {
    Files.createDirectories(dir.resolve("backups"));
    Files.write(dir.resolve("backups/pulse-20261130-033000.zip"), new byte[] {1});
    Files.write(dir.resolve("backups/pulse-20261201-033000.zip"), new byte[] {1});
    Files.write(dir.resolve("pulse.mv.db"), new byte[0]);
    assertThatThrownBy(() -> Database.openEmbedded(dir))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.needsOperator()).isTrue())
        .hasMessageContaining("pulse.mv.db is empty")
        .hasMessageContaining("pulse db restore " + dir.resolve("backups/pulse-20261201-033000.zip"));
    assertThat(Files.size(dir.resolve("pulse.mv.db"))).isZero(); // nothing written over it
  }

  @Test
  void backupsInTheConfiguredDirectoryAreNamedToo() throws Exception {
    Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
    Files.write(elsewhere.resolve("pulse-20261202-033000.zip"), new byte[] {1});
    Path state = Files.createDirectories(dir.resolve("state"));
    Files.write(state.resolve("pulse.mv.db"), new byte[0]);
    assertThatThrownBy(() -> Database.openEmbedded(state, Optional.of(elsewhere)))
        .hasMessageContaining(elsewhere.resolve("pulse-20261202-033000.zip").toString());
  }

  @Test
  void withoutBackupsTheRefusalSaysSoAndHowToStartEmpty() throws Exception {
    Files.write(dir.resolve("pulse.mv.db"), new byte[0]);
    assertThatThrownBy(() -> Database.openEmbedded(dir))
        .hasMessageContaining("no backup found in " + dir.resolve("backups"))
        .hasMessageContaining("move the file away to start with an empty database");
  }

  @Test
  void aFileCutMidBlockIsRefused() throws Exception {
    long size = filledDatabase();
    try (RandomAccessFile f = new RandomAccessFile(dir.resolve("pulse.mv.db").toFile(), "rw")) {
      f.setLength(size - 1000);
    }
    assertThatThrownBy(() -> Database.openEmbedded(dir)).isInstanceOfSatisfying(StoreException.class,
        e -> assertThat(e.needsOperator()).isTrue()).hasMessageContaining("is cut short");
  }

  @Test
  void aFileCutBeforeItsNewestChunkIsRefused() throws Exception {
    filledDatabase();
    try (RandomAccessFile f = new RandomAccessFile(dir.resolve("pulse.mv.db").toFile(), "rw")) {
      f.setLength(2 * DatabaseFiles.BLOCK);
    }
    assertThatThrownBy(() -> Database.openEmbedded(dir)).hasMessageContaining("is cut short");
  }

  @Test
  void aHalfCreatedDatabaseFromAKilledFirstStartIsCreatedAgain() throws Exception {
    Files.write(dir.resolve("pulse.mv.db"), new byte[] {1, 2, 3});
    Files.write(dir.resolve(DatabaseFiles.CREATING), new byte[0]);
    try (Database db = Database.openEmbedded(dir)) {
      db.migrate();
      assertThat(MigrationKillTest.count(db, "SELECT COUNT(*) FROM pulse_runs")).isZero();
    }
    assertThat(Files.exists(dir.resolve(DatabaseFiles.CREATING))).isFalse();
  }

  @Test
  void aNewStateDirectoryIsPrivate() throws Exception {
    Path state = dir.resolve("new-state");
    Database.openEmbedded(state).close();
    assertThat(Files.getPosixFilePermissions(state)).containsExactlyInAnyOrder(
        java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE,
        java.nio.file.attribute.PosixFilePermission.OWNER_EXECUTE);
  }

  private long filledDatabase() throws Exception {
    try (Database db = Database.openEmbedded(dir)) {
      db.migrate();
      JdbcRunHistory h = new JdbcRunHistory(db);
      for (int i = 0; i < 300; i++) {
        h.begin(new NewRun("fill", Trigger.MANUAL.label(), Instant.now(), Instant.now(), null));
      }
    }
    return Files.size(dir.resolve("pulse.mv.db"));
  }
}
