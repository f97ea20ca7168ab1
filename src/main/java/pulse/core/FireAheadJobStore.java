package pulse.core;

import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.quartz.JobPersistenceException;
import org.quartz.impl.jdbcjobstore.JobStoreTX;
import org.quartz.spi.OperableTrigger;
import org.quartz.spi.TriggerFiredResult;

/**
 * Quartz's JDBC job store, with fires handed over ahead of their due time. Quartz's scheduler thread
 * waits until an acquired trigger's next fire time, then marks the whole batch fired in one
 * transaction (several statements per trigger, under the store lock) before any job can start: a
 * hundred jobs due on the same second started 20 to 100 ms late, every second. Here the acquired
 * triggers show the scheduler thread a fire time {@code fireAheadMillis} early, so that bookkeeping
 * (and the run's history row, written by {@link JobRunner}) is done before the due time, and the
 * runner starts each job at its real due time, which is what Quartz stores and reports as the
 * scheduled fire time.
 *
 * <p>Only the in-memory copy the scheduler thread waits on is moved, and it is moved back before
 * Quartz marks the fire, so the stored triggers, misfire handling and next fire times are Quartz's
 * own. Public because Quartz makes it by reflection ({@code org.quartz.jobStore.class}).
 */
@SuppressWarnings("unchecked") // JobStoreTX overrides a generic method of JobStoreSupport with a raw type
public final class FireAheadJobStore extends JobStoreTX {
  private long fireAheadMillis;
  /** Real due times of the acquired triggers whose fire time was moved, by fire instance id. */
  private final Map<String, Date> moved = new ConcurrentHashMap<>();

  /** The stores Quartz made, by the key QuartzScheduling gave: Quartz hands out no reference. */
  private static final Map<String, FireAheadJobStore> BY_KEY = new ConcurrentHashMap<>();

  /** Set by Quartz from {@code org.quartz.jobStore.registryKey}. */
  public void setRegistryKey(String key) {
    BY_KEY.put(key, this);
  }

  static FireAheadJobStore byKey(String key) {
    return BY_KEY.get(key);
  }

  /**
   * After the database failed and works again: puts triggers that were acquired but never marked
   * fired (their release failed too) back to waiting, as Quartz does at start-up. Without this a
   * trigger stays ACQUIRED, and its job never fires again until a restart. Call it in standby.
   */
  void recoverAfterStoreFault() throws JobPersistenceException {
    moved.clear();
    recoverJobs();
  }

  /** Set by Quartz from {@code org.quartz.jobStore.fireAheadMillis}. */
  public void setFireAheadMillis(long fireAheadMillis) {
    this.fireAheadMillis = fireAheadMillis;
  }

  @Override
  public List<OperableTrigger> acquireNextTriggers(long noLaterThan, int maxCount, long timeWindow)
      throws JobPersistenceException {
    List<OperableTrigger> acquired = super.acquireNextTriggers(noLaterThan, maxCount, timeWindow);
    if (fireAheadMillis > 0) {
      for (OperableTrigger t : acquired) {
        Date due = t.getNextFireTime();
        moved.put(t.getFireInstanceId(), due);
        t.setNextFireTime(new Date(due.getTime() - fireAheadMillis));
      }
    }
    return acquired;
  }

  @Override
  public List<TriggerFiredResult> triggersFired(List<OperableTrigger> triggers) throws JobPersistenceException {
    for (OperableTrigger t : triggers) {
      Date due = moved.remove(t.getFireInstanceId());
      if (due != null) {
        t.setNextFireTime(due);
      }
    }
    return super.triggersFired(triggers);
  }

  @Override
  public void releaseAcquiredTrigger(OperableTrigger trigger) {
    moved.remove(trigger.getFireInstanceId());
    super.releaseAcquiredTrigger(trigger);
  }
}
