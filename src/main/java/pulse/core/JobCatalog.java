package pulse.core;

import java.util.List;
import java.util.Optional;

/** The daemon's jobs, for the API, the status page and the CLI. */
public interface JobCatalog {

  /** Every discovered job, enabled or not, sorted by id. */
  List<JobView> jobs();

  Optional<JobView> job(String id);

  /**
   * Starts one run now (trigger {@code manual}) and returns its run id without waiting.
   *
   * @throws UnknownJobException if no job has that id
   * @throws JobNotRunnableException if it is disabled or already running
   */
  long runNow(String id);
}
