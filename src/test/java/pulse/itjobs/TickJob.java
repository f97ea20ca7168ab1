package pulse.itjobs;

import pulse.api.Job;
import pulse.api.JobContext;

/** Succeeds at once; tests give it a short schedule. */
public final class TickJob implements Job {
  @Override
  public String id() {
    return "it-tick";
  }

  @Override
  public String defaultSchedule() {
    return "@yearly";
  }

  @Override
  public void run(JobContext ctx) {
    ctx.output("tick " + ctx.trigger().label());
    ctx.summary("trigger", ctx.trigger().label());
  }
}
