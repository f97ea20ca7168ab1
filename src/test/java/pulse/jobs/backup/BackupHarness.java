package pulse.jobs.backup;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import pulse.api.Job;
import pulse.api.Trigger;
import pulse.config.ConfigLoader;
import pulse.config.EnvSources;
import pulse.config.PulseConfig;
import pulse.core.Discovery;
import pulse.core.JobPlan;
import pulse.core.JobRunner;
import pulse.core.LocalRun;
import pulse.core.PlannedJob;
import pulse.store.Database;
import pulse.store.JdbcRunHistory;
import pulse.store.Outcome;
import pulse.store.RunRecord;
import pulse.telemetry.Telemetry;
import pulse.testing.TestConfigs;

/** The backup extension discovered, configured and run the way {@code pulse run} and the daemon do. */
final class BackupHarness {
  final BackupExtension extension = new BackupExtension();
  final Discovery.Found found;
  final PulseConfig config;

  BackupHarness(Path stateDir, Map<String, String> env) {
    found = found(extension);
    config = TestConfigs.config(stateDir, found, env);
  }

  /** With some settings from an env file (which are not in Pulse's environment, so not inherited). */
  BackupHarness(Path stateDir, Map<String, String> envFile, Map<String, String> env) {
    found = found(extension);
    Map<String, String> process = new HashMap<>(env);
    process.put("PULSE_STATE_DIR", stateDir.toString());
    config = ConfigLoader.load(new EnvSources(envFile, process, Optional.empty()), found.declaredSettings(),
        found.jobIds(), found.extensions());
  }

  private static Discovery.Found found(BackupExtension extension) {
    Map<String, String> sources = new HashMap<>();
    extension.jobs().forEach(j -> sources.put(j.id(), "built-in"));
    return new Discovery.Found(extension.jobs(), List.of(extension), sources, List.of());
  }

  /** One run through {@link LocalRun}: the real runner, span, history and outcome. */
  RunRecord run(String jobId) {
    return LocalRun.run(config, found, Telemetry.disabled(), Clock.systemUTC(), jobId);
  }

  PlannedJob planned(String jobId) {
    return JobPlan.plan(found, config).stream().filter(p -> p.id().equals(jobId)).findFirst().orElseThrow();
  }

  /** A runner that the test drives itself (to stop it mid-run). */
  final class Runner implements AutoCloseable {
    final Database db = Database.openEmbedded(config.stateDir());
    final JdbcRunHistory history;
    final JobRunner runner;

    Runner() {
      db.migrate();
      history = new JdbcRunHistory(db);
      runner = new JobRunner(history, Telemetry.disabled(), Clock.systemUTC(), config.settings(), Instant.now());
    }

    long fire(String jobId) {
      PlannedJob p = planned(jobId);
      Job job = p.job();
      runner.register(job, p.timeout());
      return runner.fire(jobId, Trigger.MANUAL, Instant.now()).orElseThrow();
    }

    RunRecord await(long runId, Duration limit) {
      long deadline = System.nanoTime() + limit.toNanos();
      while (System.nanoTime() < deadline) {
        RunRecord r = history.find(runId).orElseThrow();
        if (r.outcome() != Outcome.RUNNING) {
          return r;
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      throw new AssertionError("run " + runId + " did not end within " + limit);
    }

    @Override
    public void close() {
      runner.shutdown(Duration.ZERO);
      db.close();
    }
  }
}
