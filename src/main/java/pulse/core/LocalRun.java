package pulse.core;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import pulse.api.Trigger;
import pulse.config.PulseConfig;
import pulse.store.Database;
import pulse.store.JdbcRunHistory;
import pulse.store.Outcome;
import pulse.store.RunRecord;
import pulse.telemetry.Telemetry;

/**
 * One run of one job in this process, for {@code pulse run ID} while no daemon is running: the same
 * runner, span and run history as under the daemon, without the scheduler.
 */
public final class LocalRun {
  private LocalRun() {}

  public static RunRecord run(PulseConfig config, Discovery.Found found, Telemetry telemetry, Clock clock, String id) {
    PlannedJob p = JobPlan.plan(found, config).stream().filter(j -> j.id().equals(id)).findFirst()
        .orElseThrow(() -> new UnknownJobException(id));
    if (!p.enabled()) {
      throw new JobNotRunnableException("job " + id + " is disabled: " + p.disabledReason());
    }
    try (Database db = Database.open(config.database(), config.stateDir(), java.util.Optional.empty())) {
      db.migrate();
      JdbcRunHistory history = new JdbcRunHistory(db);
      JobRunner runner = new JobRunner(history, telemetry, clock, config.settings(), clock.instant());
      Thread hook = new Thread(() -> runner.shutdown(config.scheduler().shutdownGrace()), "pulse-run-stop");
      Runtime.getRuntime().addShutdownHook(hook); // Ctrl-C records the run as interrupted
      try {
        runner.register(p.job(), p.timeout());
        long runId = runner.fire(id, Trigger.MANUAL, clock.instant())
            .orElseThrow(() -> new JobNotRunnableException("could not start " + id + "; see the log above"));
        return await(history, runId, p.timeout().plus(JobRunner.CANCEL_WAIT).plusSeconds(5));
      } finally {
        runner.shutdown(Duration.ZERO);
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
          // already shutting down: the hook is running
        }
      }
    }
  }

  /** Waits until the run has an outcome; runs finish through the runner, which records them. */
  static RunRecord await(JdbcRunHistory history, long runId, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      Optional<RunRecord> r = history.find(runId);
      if (r.isPresent() && r.get().outcome() != Outcome.RUNNING) {
        return r.get();
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("run " + runId + " did not end within " + limit);
      }
      try {
        Thread.sleep(25);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for run " + runId, e);
      }
    }
  }
}
