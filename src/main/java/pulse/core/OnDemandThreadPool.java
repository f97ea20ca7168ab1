package pulse.core;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.quartz.spi.ThreadPool;

/**
 * Quartz's thread pool without idle polling. Quartz's {@code SimpleThreadPool} keeps every worker
 * alive and wakes each one every 500 ms to look for work: 20 wake-ups a second with 10 threads, and
 * 0.5 % of a core at idle with 100 (bench/idle). Here a thread is made when a fire is handed over
 * and ends after a minute without work; {@code threadCount} bounds how many hand-overs run at once.
 *
 * <p>Public only because Quartz makes it by reflection ({@code org.quartz.threadPool.class}).
 */
public final class OnDemandThreadPool implements ThreadPool {
  private static final long KEEP_ALIVE_SECONDS = 60;
  private static final long SHUTDOWN_WAIT_SECONDS = 30;

  private int threadCount = 10;
  private String threadNamePrefix = "pulse-quartz";
  private Semaphore permits;
  private ExecutorService threads;
  private volatile boolean shutdown;

  /** Set by Quartz from {@code org.quartz.threadPool.threadCount}. */
  public void setThreadCount(int threadCount) {
    this.threadCount = threadCount;
  }

  /** Set by Quartz from {@code org.quartz.threadPool.threadNamePrefix}. */
  public void setThreadNamePrefix(String threadNamePrefix) {
    this.threadNamePrefix = threadNamePrefix;
  }

  @Override
  public void initialize() {
    if (threadCount < 1) {
      throw new IllegalArgumentException("Quartz thread count must be at least 1, not " + threadCount);
    }
    permits = new Semaphore(threadCount);
    // Unbounded on purpose: a finished task gives its permit back a moment before its thread is
    // idle again, so a bound of threadCount could reject a hand-over the permits allowed.
    threads = new ThreadPoolExecutor(0, Integer.MAX_VALUE, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS,
        new SynchronousQueue<>(), JobRunner.named(threadNamePrefix + "-", true));
  }

  /** Runs the fire's hand-over on a thread of its own; waits while {@code threadCount} are busy. */
  @Override
  public boolean runInThread(Runnable runnable) {
    if (shutdown) {
      return false;
    }
    permits.acquireUninterruptibly();
    if (shutdown) {
      permits.release();
      return false;
    }
    try {
      threads.execute(() -> {
        try {
          runnable.run();
        } finally {
          permits.release();
        }
      });
      return true;
    } catch (RejectedExecutionException e) {
      permits.release(); // shut down meanwhile
      return false;
    }
  }

  /**
   * Waits, without polling, until at least one hand-over may start; then answers the whole
   * {@code threadCount}, not the permits free this instant. Quartz acquires at most that many
   * triggers for its next batch, and it asks right after handing over a batch, while those
   * hand-overs still hold their permits: answering the free permits would let it acquire only a few
   * of the next second's fires, and the rest would be acquired, and fired, after they fell due. A
   * hand-over takes milliseconds, so by the time the next batch is due its threads are free; if not,
   * {@link #runInThread} waits for them.
   */
  @Override
  public int blockForAvailableThreads() {
    if (shutdown) {
      return 0;
    }
    permits.acquireUninterruptibly();
    permits.release();
    return shutdown ? 0 : threadCount;
  }

  @Override
  public void shutdown(boolean waitForJobsToComplete) {
    shutdown = true;
    permits.release(threadCount); // wakes a scheduler thread waiting for a free thread
    threads.shutdown();
    if (waitForJobsToComplete) {
      try {
        threads.awaitTermination(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public int getPoolSize() {
    return threadCount;
  }

  @Override
  public void setInstanceId(String schedInstId) {
    // thread names come from threadNamePrefix
  }

  @Override
  public void setInstanceName(String schedName) {
    // as above
  }
}
