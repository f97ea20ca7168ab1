package pulse.testing;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import pulse.api.Job;
import pulse.api.JobContext;

/** A job whose body a test supplies; it records every run's context and the peak concurrency. */
/** Not final: tests override settings() and friends. */
public class TestJob implements Job {
  /** A run body that may throw anything. */
  @FunctionalInterface
  public interface Body {
    void run(JobContext ctx) throws Exception;
  }

  private final String id;
  private final String schedule;
  private final Body body;
  public final CopyOnWriteArrayList<JobContext> runs = new CopyOnWriteArrayList<>();
  private final AtomicInteger concurrent = new AtomicInteger();
  private final AtomicInteger peak = new AtomicInteger();

  public TestJob(String id, String schedule, Body body) {
    this.id = id;
    this.schedule = schedule;
    this.body = body;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String defaultSchedule() {
    return schedule;
  }

  @Override
  public void run(JobContext ctx) throws Exception {
    runs.add(ctx);
    peak.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
    try {
      body.run(ctx);
    } finally {
      concurrent.decrementAndGet();
    }
  }

  public int peakConcurrency() {
    return peak.get();
  }
}
