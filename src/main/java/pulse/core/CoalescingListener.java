package pulse.core;

import java.time.Clock;
import java.util.function.BiConsumer;
import org.quartz.JobExecutionContext;
import org.quartz.Trigger;
import org.quartz.Trigger.CompletedExecutionInstruction;
import org.quartz.listeners.TriggerListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Coalesces fires: when Quartz delivers a fire whose successor is already due, the fire is stale (the
 * scheduler fell behind, for example after a suspend) and is vetoed, so several missed fires run
 * once, at the newest. Also logs fires that missed their grace.
 */
final class CoalescingListener extends TriggerListenerSupport {
  private static final Logger log = LoggerFactory.getLogger(CoalescingListener.class);
  private final Clock clock;
  private final BiConsumer<String, String> skipped;

  /** @param skipped told of each fire that does not run: job id and reason (the skip metric) */
  CoalescingListener(Clock clock, BiConsumer<String, String> skipped) {
    this.clock = clock;
    this.skipped = skipped;
  }

  @Override
  public String getName() {
    return "pulse-coalesce";
  }

  @Override
  public boolean vetoJobExecution(Trigger trigger, JobExecutionContext context) {
    java.util.Date next = trigger.getNextFireTime();
    boolean stale = next != null && !next.toInstant().isAfter(clock.instant());
    if (stale) {
      skipped.accept(trigger.getJobKey().getName(), "coalesced");
      log.debug("Coalescing: skipped the fire of {} due at {}; a newer fire is due", trigger.getJobKey().getName(),
          context.getScheduledFireTime().toInstant());
    }
    return stale;
  }

  @Override
  public void triggerMisfired(Trigger trigger) {
    skipped.accept(trigger.getJobKey().getName(), "misfire");
    log.warn("The fire of {} is later than the misfire grace (PULSE_MISFIRE_GRACE); skipped to its next fire at {}",
        trigger.getJobKey().getName(), trigger.getFireTimeAfter(java.util.Date.from(clock.instant())));
  }

  @Override
  public void triggerComplete(Trigger trigger, JobExecutionContext context, CompletedExecutionInstruction instruction) {
    // nothing: the runner records outcomes
  }
}
