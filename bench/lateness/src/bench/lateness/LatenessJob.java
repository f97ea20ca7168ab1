package bench.lateness;

import java.time.Duration;
import java.time.Instant;
import pulse.api.Job;
import pulse.api.JobContext;

/** Records how late it started: the daemon's clock at the top of run() minus the fire's due time. */
final class LatenessJob implements Job {
  private final String id;
  private final String schedule;
  private final LatenessExtension sink;

  LatenessJob(String id, String schedule, LatenessExtension sink) {
    this.id = id;
    this.schedule = schedule;
    this.sink = sink;
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
  public void run(JobContext ctx) {
    Instant now = ctx.clock().instant();
    Instant due = ctx.scheduledTime();
    long lateUs = Duration.between(due, now).toNanos() / 1_000;
    sink.record(id, due.toEpochMilli(), lateUs, ctx.trigger().label());
  }
}
