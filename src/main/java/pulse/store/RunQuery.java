package pulse.store;

/**
 * A filter over the run history, newest first.
 *
 * @param jobId only this job, or null for all
 * @param failedOnly only runs whose outcome {@link Outcome#isFailure() is a failure}
 * @param limit at most this many (1-1000)
 */
public record RunQuery(String jobId, boolean failedOnly, int limit) {
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 1000;

  public RunQuery {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1-" + MAX_LIMIT + ", got " + limit);
    }
  }

  public static RunQuery latest(int limit) {
    return new RunQuery(null, false, limit);
  }
}
