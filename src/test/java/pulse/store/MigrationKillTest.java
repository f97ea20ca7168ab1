package pulse.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.api.Trigger;
import pulse.testing.MigratingChild;

/**
 * A start killed (SIGKILL) at any instant of its migrations leaves a database the next start
 * migrates cleanly, with everything committed before it: 25 instants spread evenly over a first
 * start, and 25 over a start that applies an upgrade's migrations (whose INSERTs would show twice
 * if a half-applied migration were run again).
 */
class MigrationKillTest {
  private static final int INSTANTS = 25;
  @TempDir Path tmp;

  @Test
  void aFirstStartKilledAtAnyInstantStartsCleanlyNextTime() throws Exception {
    long full = timeOfUninterruptedRun(tmp.resolve("timing"), false);
    for (int i = 0; i < INSTANTS; i++) {
      Path dir = tmp.resolve("first-" + i);
      killAt(dir, false, full * i / INSTANTS);
      try (Database db = Database.openEmbedded(dir)) {
        db.migrateAll(MigratingChild.sets(false));
        assertThat(count(db, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME LIKE 'QRTZ_%'")).as("instant %d", i).isEqualTo(11);
        assertThat(count(db, "SELECT COUNT(*) FROM pulse_store_probe")).isEqualTo(1);
        assertThat(count(db, "SELECT COUNT(*) FROM \"pulse_schema_history\" WHERE \"success\" = FALSE")).isZero();
        new JdbcRunHistory(db).begin(new NewRun("after", Trigger.MANUAL.label(), Instant.now(), Instant.now(), null));
      }
      assertThat(Files.exists(dir.resolve(DatabaseFiles.CREATING))).isFalse();
    }
  }

  @Test
  void anUpgradeKilledAtAnyInstantIsUndoneAndAppliedOnceNextTime() throws Exception {
    Path base = tmp.resolve("base");
    List<Long> committed = new ArrayList<>();
    try (Database db = Database.openEmbedded(base)) {
      db.migrateAll(MigratingChild.sets(false));
      JdbcRunHistory h = new JdbcRunHistory(db);
      for (int i = 0; i < 50; i++) {
        committed.add(h.begin(new NewRun("before-upgrade", Trigger.MANUAL.label(), Instant.now(), Instant.now(), null)));
      }
    }
    Path timing = tmp.resolve("timing");
    copy(base, timing);
    long full = timeOfUninterruptedRun(timing, true);
    for (int i = 0; i < INSTANTS; i++) {
      Path dir = tmp.resolve("upgrade-" + i);
      copy(base, dir);
      killAt(dir, true, full * i / INSTANTS);
      try (Database db = Database.openEmbedded(dir)) {
        db.migrateAll(MigratingChild.sets(true));
        assertThat(count(db, "SELECT COUNT(*) FROM upgrade_a")).as("instant %d", i).isEqualTo(1);
        assertThat(count(db, "SELECT COUNT(*) FROM upgrade_b")).as("instant %d", i).isEqualTo(2);
        assertThat(count(db, "SELECT COUNT(*) FROM upgrade_d")).isZero();
        List<Long> stored = new JdbcRunHistory(db).recent(new RunQuery("before-upgrade", false, 100)).stream().map(RunRecord::id).toList();
        assertThat(stored).containsExactlyInAnyOrderElementsOf(committed);
      }
      assertThat(Files.exists(dir.resolve(DatabaseFiles.SNAPSHOT))).isFalse();
    }
  }

  private static long timeOfUninterruptedRun(Path dir, boolean upgrade) throws Exception {
    long t0 = System.nanoTime();
    Process p = child(dir, upgrade);
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(out).isZero();
    assertThat(out).contains("migrated");
    return System.nanoTime() - t0;
  }

  private static void killAt(Path dir, boolean upgrade, long nanos) throws Exception {
    Process p = child(dir, upgrade);
    if (!p.waitFor(nanos, TimeUnit.NANOSECONDS)) {
      new ProcessBuilder("kill", "-9", String.valueOf(p.pid())).start().waitFor();
    }
    p.waitFor();
  }

  private static Process child(Path dir, boolean upgrade) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        MigratingChild.class.getName(), dir.toString(), upgrade ? "upgrade" : "")
        .redirectErrorStream(true)
        .start();
  }

  private static void copy(Path from, Path to) throws Exception {
    Files.createDirectories(to);
    try (var s = Files.list(from)) {
      for (Path f : s.toList()) {
        if (Files.isRegularFile(f)) {
          Files.copy(f, to.resolve(f.getFileName()));
        }
      }
    }
  }

  static long count(Database db, String sql) throws SQLException {
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
