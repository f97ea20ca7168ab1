package pulse.core;

import org.quartz.Job;
import org.quartz.JobExecutionContext;

/**
 * The only Quartz job class: a fire hands the job id and due time to the {@link JobRunner}, which
 * runs the job on a thread of its own. Quartz's threads stay free, so one slow job never delays
 * another's fire.
 */
final class QuartzFire implements Job {
  static final String JOB_ID = "pulse.job";
  private final JobRunner runner;

  QuartzFire(JobRunner runner) {
    this.runner = runner;
  }

  @Override
  public void execute(JobExecutionContext context) {
    String jobId = context.getMergedJobDataMap().getString(JOB_ID);
    java.time.Instant due = context.getScheduledFireTime().toInstant();
    runner.fire(jobId, runner.classify(jobId, due), due);
  }
}
