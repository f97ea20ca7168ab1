package pulse.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** One test per promise of {@link DiskSync}. */
class DiskSyncTest {
  @Test
  void everyCallerReturnsOnlyAfterASyncThatStartedAfterItsCommit() throws Exception {
    AtomicLong clock = new AtomicLong();
    ConcurrentLinkedQueue<long[]> syncs = new ConcurrentLinkedQueue<>(); // [start, end]
    DiskSync sync = new DiskSync(() -> {
      long start = clock.incrementAndGet();
      Thread.onSpinWait();
      syncs.add(new long[] {start, clock.incrementAndGet()});
    });
    ConcurrentLinkedQueue<long[]> calls = new ConcurrentLinkedQueue<>(); // [called, returned]
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 16; t++) {
      threads.add(started(() -> {
        for (int i = 0; i < 200; i++) {
          long called = clock.incrementAndGet();
          try {
            sync.afterCommit();
          } catch (SQLException e) {
            throw new AssertionError(e);
          }
          calls.add(new long[] {called, clock.incrementAndGet()});
        }
      }));
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(calls).hasSize(3200);
    for (long[] c : calls) {
      assertThat(syncs).as("a sync inside [%d, %d]", c[0], c[1]).anyMatch(s -> s[0] > c[0] && s[1] < c[1]);
    }
  }

  @Test
  void callersThatArriveTogetherShareSyncs() throws Exception {
    // a slow device (20 ms a sync): every caller that arrives meanwhile is covered by the next one
    DiskSync sync = new DiskSync(() -> sleep(20));
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      threads.add(started(() -> {
        for (int i = 0; i < 10; i++) {
          try {
            sync.afterCommit();
          } catch (SQLException e) {
            throw new AssertionError(e);
          }
        }
      }));
    }
    for (Thread t : threads) {
      t.join();
    }
    // 80 calls: one sync each would be 80; shared, about two per round of the 8 threads
    assertThat(sync.syncs()).isLessThan(80 / 2);
  }

  @Test
  void aFailedSyncFailsItsCallerAndTheNextCallTriesAgain() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    DiskSync sync = new DiskSync(() -> {
      if (calls.incrementAndGet() == 1) {
        throw new SQLException("No space left on device");
      }
    });
    assertThatThrownBy(sync::afterCommit).hasMessageContaining("No space left");
    sync.afterCommit();
    assertThat(calls).hasValue(2);
    assertThat(sync.syncs()).isEqualTo(1);
  }

  private static Thread started(Runnable r) {
    Thread t = new Thread(r);
    t.start();
    return t;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
