package pulse.testing;

import java.nio.file.Path;
import pulse.api.Trigger;
import pulse.store.Database;
import pulse.store.JdbcRunHistory;
import pulse.store.NewRun;

/**
 * A child process for durability tests: four threads record runs at once (so they share group
 * commits) and print "ack ID" after each commit returned, until it is killed.
 */
public final class AckWriter {
  private AckWriter() {}

  public static void main(String[] args) {
    Database db = Database.openEmbedded(Path.of(args[0]));
    db.migrate();
    JdbcRunHistory h = new JdbcRunHistory(db);
    System.out.println("ready");
    System.out.flush();
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
