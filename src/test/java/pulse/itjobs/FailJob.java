package pulse.itjobs;

import pulse.api.Job;
import pulse.api.JobContext;
import pulse.api.JobFailedException;

/** Fails with a message that contains the value of IT_SECRET_TOKEN, to test redaction. */
public final class FailJob implements Job {
  @Override
  public String id() {
    return "it-fail";
  }

  @Override
  public String defaultSchedule() {
    return "@yearly";
  }

  @Override
  public void run(JobContext ctx) {
    String secret = ctx.settings().get("IT_SECRET_TOKEN", "none");
    ctx.log().warn("about to fail using {}", secret);
    ctx.output("using token " + secret);
    throw new JobFailedException("remote refused token " + secret + "; rotate it");
  }
}
