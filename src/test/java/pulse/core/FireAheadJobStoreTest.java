package pulse.core;

import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import pulse.testing.StoreBackend;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;
import pulse.store.Database;

/** The store on a real Quartz scheduler and H2: fires come early, everything Quartz stores is on time. */
@ParameterizedClass
@EnumSource(StoreBackend.class)
class FireAheadJobStoreTest {
  @Parameter StoreBackend backend;
  private static final long AHEAD_MS = 300;
  private static final long EVERY_MS = 1_000;
  /** What each execution saw: {wall clock at execute, scheduled fire time}. */
  static final BlockingQueue<long[]> FIRES = new LinkedBlockingQueue<>();

  @TempDir Path dir;
  private Database db;
  private Scheduler scheduler;

  /** Quartz makes it with its default job factory: public, no-arg. */
  public static final class Recorder implements Job {
    @Override
    public void execute(JobExecutionContext context) {
      FIRES.add(new long[] {System.currentTimeMillis(), context.getScheduledFireTime().getTime()});
    }
  }

  @BeforeEach
  void start() throws Exception {
    FIRES.clear();
    db = backend.open(dir);
    db.migrate();
    DBConnectionManager.getInstance().addConnectionProvider("fire-ahead-test", new ConnectionProvider() {
      @Override public Connection getConnection() throws SQLException { return db.dataSource().getConnection(); }
      @Override public void shutdown() {}
      @Override public void initialize() {}
    });
    Properties p = new Properties();
    p.setProperty("org.quartz.scheduler.instanceName", "fire-ahead-test");
    p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
    p.setProperty("org.quartz.threadPool.threadCount", "2");
    p.setProperty("org.quartz.jobStore.class", FireAheadJobStore.class.getName());
    p.setProperty("org.quartz.jobStore.fireAheadMillis", String.valueOf(AHEAD_MS));
    p.setProperty("org.quartz.jobStore.dataSource", "fire-ahead-test");
    p.setProperty("org.quartz.jobStore.driverDelegateClass", QuartzScheduling.delegateFor(db.dialect()));
    p.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
    scheduler = new StdSchedulerFactory(p).getScheduler();
  }

  @AfterEach
  void stop() throws Exception {
    scheduler.shutdown(true);
    db.close();
  }

  @Test
  void firesAreHandedOverAheadWhileQuartzStoresAndReportsTheRealDueTimes() throws Exception {
    long first = (System.currentTimeMillis() / EVERY_MS + 2) * EVERY_MS;
    Trigger t = TriggerBuilder.newTrigger().withIdentity("tick").startAt(new Date(first))
        .withSchedule(SimpleScheduleBuilder.simpleSchedule().withIntervalInMilliseconds(EVERY_MS).repeatForever())
        .build();
    scheduler.scheduleJob(JobBuilder.newJob(Recorder.class).withIdentity("tick").build(), t);
    scheduler.start();

    List<long[]> fires = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      long[] f = FIRES.poll(10, TimeUnit.SECONDS);
      assertThat(f).as("fire %d", i).isNotNull();
      fires.add(f);
    }
    for (int i = 0; i < fires.size(); i++) {
      long executedAt = fires.get(i)[0];
      long due = fires.get(i)[1];
      assertThat(due).as("scheduled fire time %d is the real one", i).isEqualTo(first + i * EVERY_MS);
      assertThat(due - executedAt).as("fire %d handed over this many ms ahead", i)
          .isGreaterThan(AHEAD_MS / 2).isLessThanOrEqualTo(AHEAD_MS + 50);
    }
    Trigger stored = scheduler.getTrigger(TriggerKey.triggerKey("tick"));
    assertThat(stored.getNextFireTime().getTime() % EVERY_MS).as("stored next fire stays on the schedule").isZero();
    assertThat(stored.getPreviousFireTime().getTime() % EVERY_MS).isZero();
  }
}
