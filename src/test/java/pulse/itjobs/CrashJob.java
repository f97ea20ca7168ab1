package pulse.itjobs;

import pulse.api.Job;
import pulse.api.JobContext;

/** Throws an unexpected exception with a cause, so the runner logs a stack trace. */
public final class CrashJob implements Job {
  @Override
  public String id() {
    return "it-crash";
  }

  @Override
  public String defaultSchedule() {
    return "@yearly";
  }

  @Override
  public void run(JobContext ctx) {
    throw new IllegalStateException("crashed on purpose", new java.io.IOException("disk said no"));
  }
}
