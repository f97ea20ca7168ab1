package pulse.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The run history. The embedded H2 store and a PostgreSQL store both fill it with the same SQL; only
 * the DataSource differs. Every method commits before it returns, so what it acknowledged survives a
 * kill -9 of the daemon.
 */
public interface RunHistory {

  /** Records a run as {@link Outcome#RUNNING}; returns its id. */
  long begin(NewRun run);

  /** Records how a run ended. */
  void finish(long runId, RunResult result);

  /**
   * Removes a run recorded ahead of its due time that did not start after all (the job was still
   * running then, so the fire was skipped). Only a run still {@link Outcome#RUNNING} is removed.
   */
  void discard(long runId);

  Optional<RunRecord> find(long runId);

  /** Newest first. */
  List<RunRecord> recent(RunQuery query);

  /** The newest finished run of every job that has one, by job id. */
  Map<String, RunRecord> lastFinishedByJob();

  /** The time of each job's newest successful run, by job id. */
  Map<String, Instant> lastSuccessByJob();

  /**
   * Marks runs still {@link Outcome#RUNNING} (left by a daemon that died) as {@link
   * Outcome#INTERRUPTED} with this message. Called once at startup; returns how many.
   */
  int interruptAbandoned(Instant endedAt, String message);

  /** Deletes finished runs that started before the cutoff; returns how many. */
  int deleteStartedBefore(Instant cutoff);
}
