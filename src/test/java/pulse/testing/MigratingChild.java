package pulse.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import pulse.store.Database;
import pulse.store.Migrations;

/**
 * A child process for the migration kill tests: opens the database in {@code args[0]} and applies
 * every migration a daemon start applies (plus the test upgrade's with {@code upgrade}), as
 * {@code Daemon} does, then prints "migrated" and exits. The test kills it at chosen instants.
 */
public final class MigratingChild {
  private MigratingChild() {}

  public static void main(String[] args) {
    try (Database db = Database.openEmbedded(Path.of(args[0]))) {
      db.migrateAll(sets(args.length > 1 && args[1].equals("upgrade")));
    }
    System.out.println("migrated");
  }

  /** What a daemon start migrates: Pulse's own tables, then the built-in families'. */
  public static List<Migrations> sets(boolean upgrade) {
    List<Migrations> sets = new ArrayList<>(List.of(
        Database.core(),
        new Migrations("classpath:pulse/notify/migration", "pulse_schema_history_alerts"),
        new Migrations("classpath:pulse/jobs/prompt/migration", "pulse_schema_history_prompt")));
    if (upgrade) {
      sets.add(new Migrations("classpath:pulse/store/testmigration", "pulse_schema_history_upgrade"));
    }
    return sets;
  }
}
