package pulse.systemd;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends WATCHDOG=1 every half of {@code WATCHDOG_USEC}, but only while the daemon says it is
 * healthy: a scheduler that stopped firing then gets restarted by systemd after {@code WatchdogSec=}.
 * A ping thread that pinged unconditionally would only prove that the JVM is alive.
 */
final class Watchdog implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Watchdog.class);

  private final NotifySocket socket;
  private final Duration timeout;
  private final BooleanSupplier healthy;
  private final ScheduledExecutorService timer;
  private boolean lastHealthy = true; // only touched by the timer thread

  private Watchdog(NotifySocket socket, Duration timeout, BooleanSupplier healthy) {
    this.socket = socket;
    this.timeout = timeout;
    this.healthy = healthy;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "pulse-watchdog");
      t.setDaemon(true);
      return t;
    });
  }

  static Watchdog start(NotifySocket socket, Duration timeout, BooleanSupplier healthy) {
    Watchdog w = new Watchdog(socket, timeout, healthy);
    long periodMicros = Math.max(1, timeout.toNanos() / 2_000);
    w.timer.scheduleAtFixedRate(w::tick, 0, periodMicros, TimeUnit.MICROSECONDS);
    log.info("systemd watchdog on: WATCHDOG=1 every {} ms while the scheduler is healthy", periodMicros / 1000);
    return w;
  }

  /**
   * The watchdog timeout systemd asked for, as sd_watchdog_enabled(3) reads it: {@code WATCHDOG_USEC}
   * set and positive, and {@code WATCHDOG_PID}, if set, naming this process.
   */
  static Optional<Duration> timeout(Map<String, String> env, long ownPid) {
    String usec = env.get("WATCHDOG_USEC");
    if (usec == null || usec.isBlank()) {
      return Optional.empty();
    }
    String pid = env.get("WATCHDOG_PID");
    if (pid != null && !pid.isBlank() && !pid.trim().equals(Long.toString(ownPid))) {
      log.debug("WATCHDOG_PID={} is not this process ({}): watchdog is not ours", pid, ownPid);
      return Optional.empty();
    }
    try {
      long micros = Long.parseLong(usec.trim());
      if (micros <= 0) {
        throw new NumberFormatException();
      }
      return Optional.of(Duration.ofNanos(micros * 1000));
    } catch (NumberFormatException e) {
      log.warn("WATCHDOG_USEC={} is not a positive number of microseconds; the systemd watchdog stays off", usec);
      return Optional.empty();
    }
  }

  Duration timeout() {
    return timeout;
  }

  private void tick() {
    boolean ok;
    try {
      ok = healthy.getAsBoolean();
    } catch (RuntimeException e) {
      ok = false;
    }
    if (ok != lastHealthy) {
      if (ok) {
        log.info("Scheduler healthy again: WATCHDOG=1 resumed");
      } else {
        log.warn("Scheduler unhealthy: WATCHDOG=1 withheld; systemd restarts Pulse after {} s unless it recovers",
            timeout.toMillis() / 1000.0);
      }
      lastHealthy = ok;
    }
    if (ok) {
      socket.send("WATCHDOG=1");
    }
  }

  /** Stops pinging; waits briefly for a tick in progress, so no WATCHDOG=1 follows STOPPING=1. */
  @Override
  public void close() {
    // shutdown(), not shutdownNow(): interrupting a tick inside the database ping could make H2
    // close its file channel. Shutdown cancels the periodic task; a running tick completes.
    timer.shutdown();
    try {
      if (!timer.awaitTermination(2, TimeUnit.SECONDS)) {
        log.debug("watchdog tick still running after 2 s (a slow health check); not waiting longer");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
