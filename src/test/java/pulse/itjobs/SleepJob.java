package pulse.itjobs;

import pulse.api.Job;
import pulse.api.JobContext;

/** Runs until cancelled, to test stopping. */
public final class SleepJob implements Job {
  @Override
  public String id() {
    return "it-sleep";
  }

  @Override
  public String defaultSchedule() {
    return "@yearly";
  }

  @Override
  public void run(JobContext ctx) throws InterruptedException {
    ctx.log().info("sleeping until cancelled");
    Thread.sleep(600_000);
  }
}
