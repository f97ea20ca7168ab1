package pulse.testing;

import java.nio.file.Path;
import pulse.api.Trigger;
import pulse.store.Database;
import pulse.store.JdbcRunHistory;
import pulse.store.NewRun;

/**
 * A child process for durability tests: four threads record runs at once (so they share group
 * commits) and print "ack ID" after each commit returned, while a fifth commits on its own, until
 * it is killed.
 */
public final class AckWriter {
  private AckWriter() {}

  public static void main(String[] args) {
    Database db = Database.openEmbedded(Path.of(args[0]));
    db.migrate();
    JdbcRunHistory h = new JdbcRunHistory(db);
    System.out.println("ready");
    System.out.flush();
    // and one writer that commits on its own connection, as Quartz's job store does: the race that
    // lost acknowledged commits was between such commits and the group's
    new Thread(() -> {
      while (true) {
        try (java.sql.Connection c = db.dataSource().getConnection();
            java.sql.PreparedStatement ps = c.prepareStatement(
                "UPDATE pulse_store_probe SET probed_at = CURRENT_TIMESTAMP WHERE id = 1")) {
          ps.executeUpdate();
        } catch (java.sql.SQLException e) {
          throw new IllegalStateException(e);
        }
      }
    }).start();
    for (int t = 0; t < 4; t++) {
      new Thread(() -> {
        while (true) {
          java.time.Instant now = java.time.Instant.now();
          long id = h.begin(new NewRun("durable", Trigger.MANUAL.label(), now, now, null));
          synchronized (System.out) {
            System.out.println("ack " + id);
            System.out.flush();
          }
        }
      }).start();
    }
  }
}
