package pulse.jobs.prompt;

import io.opentelemetry.api.OpenTelemetry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import pulse.store.Database;

/**
 * A child process for crash tests: the queue and executor as the daemon runs them, on a real H2
 * file. {@code schedule N} inserts N pulses, printing "ack ID PROMPT" after each commit, while the
 * executor runs them; {@code drain} only runs what is left and exits 0 when the queue is empty.
 */
public final class PromptWorkerProcess {
  private PromptWorkerProcess() {}

  public static void main(String[] args) throws Exception {
    Path state = Path.of(args[0]);
    Path command = Path.of(args[1]);
    String mode = args[2];
    Database db = PromptTesting.database(state);
    PromptQueue queue = new PromptQueue(db.store());
    ExecutorConfig config = new ExecutorConfig(List.of(command.toString()), null, Duration.ofSeconds(30), 2, 5,
        Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofMillis(50));
    PromptExecutor executor = new PromptExecutor(queue, config, new PromptRunner(config, OpenTelemetry.noop()),
        Clock.systemUTC(), o -> {});
    executor.start();
    System.out.println("ready");
    System.out.flush();
    if (mode.equals("schedule")) {
      int n = Integer.parseInt(args[3]);
      for (int i = 0; i < n; i++) {
        PromptPulse p = queue.insert(NewPulse.of("pulse-" + i, Instant.now(), Priority.NORMAL, "crash-test"), Instant.now());
        executor.wake();
        System.out.println("ack " + p.id() + " " + p.prompt());
        System.out.flush();
      }
    }
    while (true) {
      Map<String, Long> counts = queue.countByStatus();
      if (counts.get("pending") + counts.get("processing") == 0) {
        break;
      }
      Thread.sleep(100);
    }
    executor.close();
    db.close();
    System.out.println("drained");
    System.out.flush();
  }
}
