package pulse.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OnDemandThreadPoolTest {

  private static OnDemandThreadPool pool(int threads) {
    OnDemandThreadPool p = new OnDemandThreadPool();
    p.setThreadCount(threads);
    p.setThreadNamePrefix("test-quartz");
    p.initialize();
    return p;
  }

  @Test
  void runsHandOversOnNamedThreadsAndKeepsNoneBusyAfterwards() throws Exception {
    OnDemandThreadPool p = pool(3);
    CountDownLatch done = new CountDownLatch(10);
    AtomicInteger named = new AtomicInteger();
    for (int i = 0; i < 10; i++) {
      assertThat(p.runInThread(() -> {
        if (Thread.currentThread().getName().startsWith("test-quartz-") && Thread.currentThread().isDaemon()) {
          named.incrementAndGet();
        }
        done.countDown();
      })).isTrue();
    }
    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(named).hasValue(10);
    await().atMost(Duration.ofSeconds(5)).until(() -> p.blockForAvailableThreads() == 3);
    p.shutdown(true);
  }

  @Test
  void aFullPoolMakesTheSchedulerWaitUntilAThreadIsFree() throws Exception {
    OnDemandThreadPool p = pool(1);
    CountDownLatch release = new CountDownLatch(1);
    p.runInThread(() -> awaitQuietly(release));
    AtomicInteger available = new AtomicInteger(-1);
    Thread scheduler = new Thread(() -> available.set(p.blockForAvailableThreads()));
    scheduler.start();
    scheduler.join(300);
    assertThat(scheduler.isAlive()).as("blocked while the only thread is busy").isTrue();
    release.countDown();
    scheduler.join(5_000);
    assertThat(available).hasValue(1);
    p.shutdown(true);
  }

  @Test
  void whileSomeHandOversRunTheSchedulerIsToldTheWholePool() throws Exception {
    // Quartz acquires at most this many triggers for the next batch; answering only the free permits
    // right after a burst made it acquire a few of the next second's fires and fire the rest late.
    OnDemandThreadPool p = pool(4);
    CountDownLatch release = new CountDownLatch(1);
    p.runInThread(() -> awaitQuietly(release));
    p.runInThread(() -> awaitQuietly(release));
    assertThat(p.blockForAvailableThreads()).isEqualTo(4);
    release.countDown();
    p.shutdown(true);
  }

  @Test
  void shutdownWaitsForRunningHandOversAndRefusesNewOnes() throws Exception {
    OnDemandThreadPool p = pool(2);
    AtomicInteger finished = new AtomicInteger();
    p.runInThread(() -> {
      sleepQuietly(200);
      finished.incrementAndGet();
    });
    p.shutdown(true);
    assertThat(finished).hasValue(1);
    assertThat(p.runInThread(finished::incrementAndGet)).isFalse();
    assertThat(p.blockForAvailableThreads()).isZero();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
