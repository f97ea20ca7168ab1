package pulse.notify;

import pulse.api.store.Store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pulse.api.Durations;

/**
 * The one thread that talks to notification services ({@code pulse-alert-sender}). It delivers due
 * outbox rows lane by lane in id order (an opening before its resolution), marks each delivered in
 * the database, and on failure retries with exponential backoff. Rows survive restarts: whatever was
 * queued when the daemon stopped is sent after it starts.
 */
final class OutboxSender implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OutboxSender.class);
  static final Duration FIRST_RETRY = Duration.ofSeconds(5);
  static final Duration MAX_RETRY = Duration.ofMinutes(15);
  /** A notification older than this is dropped: news of three days ago helps nobody. */
  static final Duration GIVE_UP_AFTER = Duration.ofDays(3);
  /**
   * How often the thread looks for due rows when nobody woke it while rows wait for a retry. With
   * the outbox empty it sleeps until the next tick: every new row wakes it, and polling an empty
   * table each second was a third of the daemon's idle CPU (bench/idle).
   */
  static final Duration POLL = Duration.ofSeconds(1);
  /** How often the engine's periodic work (reminders, flapping, silences ending) runs. */
  static final Duration TICK_EVERY = Duration.ofSeconds(15);
  static final int BATCH = 500;
  /** How long stop waits for a delivery in flight before interrupting it. */
  static final Duration STOP_WAIT = Duration.ofSeconds(2);

  private final Store store;
  private final Channels channels;
  private final Clock clock;
  private final Runnable tick;
  private final Object signal = new Object();
  private boolean woken;
  private volatile boolean stopping;
  /** Rows were left undelivered by the last pass (waiting for a retry, or a full batch). */
  private volatile boolean pendingLeft;
  private Thread thread;

  OutboxSender(Store store, Channels channels, Clock clock, Runnable tick) {
    this.store = store;
    this.channels = channels;
    this.clock = clock;
    this.tick = tick;
  }

  void start() {
    thread = new Thread(this::loop, "pulse-alert-sender");
    thread.setDaemon(true);
    thread.start();
  }

  /** Asks the thread to look at the outbox now, rather than at its next poll. */
  void wake() {
    synchronized (signal) {
      woken = true;
      signal.notifyAll();
    }
  }

  private void loop() {
    long nextTick = 0;
    boolean failing = false;
    while (!stopping) {
      try {
        if (System.nanoTime() - nextTick >= 0) {
          // set first: a tick that fails (a full disk) waits like one that worked, instead of spinning
          nextTick = System.nanoTime() + TICK_EVERY.toNanos();
          tick.run();
        }
        deliverDue();
        if (failing) {
          failing = false;
          log.info("Alert sender works again");
        }
      } catch (RuntimeException e) {
        pendingLeft = true;
        if (!failing) { // one line per failing streak: a store fault would otherwise log every second
          failing = true;
          log.warn("Alert sender: {}. Will try again every {} (not logged again until it works).", e.getMessage(), Durations.format(POLL));
        }
      }
      long untilTick = Math.max(1, (nextTick - System.nanoTime()) / 1_000_000);
      long waitMillis = pendingLeft ? Math.min(POLL.toMillis(), untilTick) : untilTick;
      synchronized (signal) {
        if (!woken && !stopping) {
          try {
            signal.wait(waitMillis);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
        woken = false;
      }
    }
  }

  /**
   * One pass over the due rows; returns how many were delivered. Synchronized so that a test (or a
   * second caller) never delivers a row twice.
   */
  synchronized int deliverDue() {
    List<OutboxEntry> pending = store.inTransaction("deliver the alert outbox", c -> OutboxStore.pending(c, BATCH));
    pendingLeft = !pending.isEmpty(); // cleared below when every row was delivered
    Set<String> blocked = new HashSet<>();
    int delivered = 0;
    for (OutboxEntry e : pending) {
      if (stopping || blocked.contains(e.lane())) {
        continue;
      }
      Instant now = clock.instant();
      if (e.nextAttemptAt().isAfter(now)) {
        blocked.add(e.lane()); // keeps the lane in order: nothing overtakes a row waiting for its retry
        continue;
      }
      Optional<Channel> channel = channels.get(e.channel());
      if (channel.isEmpty()) {
        String why = "the " + e.channel() + " channel is no longer configured";
        store.inTransaction("deliver the alert outbox", c -> {
          OutboxStore.givenUp(c, e.id(), now, why);
          return null;
        });
        log.warn("Dropped notification {}: {}", e.id(), why);
        continue;
      }
      try {
        channel.get().deliver(e.payload());
        store.inTransaction("deliver the alert outbox", c -> {
          OutboxStore.delivered(c, e.id(), clock.instant());
          return null;
        });
        delivered++;
        if (e.attempts() > 0) {
          log.info("Delivered notification {} via {} after {} failed attempt(s)", e.id(), e.channel(), e.attempts());
        }
      } catch (DeliveryException d) {
        failed(e, d, now);
        blocked.add(e.lane());
      }
    }
    pendingLeft = delivered < pending.size(); // given-up rows count too: one more pass finds them gone
    return delivered;
  }

  private void failed(OutboxEntry e, DeliveryException d, Instant now) {
    int attempt = e.attempts() + 1;
    if (d.permanent || !e.createdAt().plus(GIVE_UP_AFTER).isAfter(now)) {
      store.inTransaction("deliver the alert outbox", c -> {
        OutboxStore.givenUp(c, e.id(), now, d.getMessage());
        return null;
      });
      log.error("Gave up on notification {} via {} after {} attempt(s): {}. It will not be retried.", e.id(), e.channel(),
          attempt, d.getMessage());
      return;
    }
    Duration wait = d.retryAfter != null ? d.retryAfter : backoff(attempt);
    store.inTransaction("deliver the alert outbox", c -> {
      OutboxStore.retryLater(c, e.id(), now.plus(wait), d.getMessage());
      return null;
    });
    log.warn("Notification {} via {} failed (attempt {}): {}. Will retry in {}.", e.id(), e.channel(), attempt,
        d.getMessage(), Durations.format(wait));
  }

  /** 5s, 10s, 20s … capped at 15 minutes. */
  static Duration backoff(int attempt) {
    int doublings = Math.min(Math.max(attempt - 1, 0), 20);
    Duration d = FIRST_RETRY.multipliedBy(1L << doublings);
    return d.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : d;
  }

  @Override
  public void close() {
    stopping = true;
    wake();
    if (thread != null) {
      try {
        thread.join(STOP_WAIT.toMillis());
        if (thread.isAlive()) {
          // A delivery hangs on a slow service: abandon it. The row stays queued and is sent after the
          // next start (possibly a second time, if the service did take it).
          thread.interrupt();
          thread.join(STOP_WAIT.toMillis());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
