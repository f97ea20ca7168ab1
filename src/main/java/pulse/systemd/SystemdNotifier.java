package pulse.systemd;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * sd_notify(3) for {@code Type=notify}: READY=1, STOPPING=1, STATUS= and WATCHDOG=1 on the
 * datagram socket systemd names in {@code NOTIFY_SOCKET}. Without that variable every call is a
 * no-op, so the daemon runs the same outside systemd. No call ever throws.
 */
public final class SystemdNotifier implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SystemdNotifier.class);

  private final NotifySocket socket; // null: not under systemd (or not Type=notify)
  private final Optional<Duration> watchdogTimeout;
  private Watchdog watchdog;

  private SystemdNotifier(NotifySocket socket, Optional<Duration> watchdogTimeout) {
    this.socket = socket;
    this.watchdogTimeout = watchdogTimeout;
  }

  public static SystemdNotifier fromEnvironment(Map<String, String> env) {
    String name = env.get("NOTIFY_SOCKET");
    if (name == null || name.isBlank()) {
      return new SystemdNotifier(null, Optional.empty());
    }
    return new SystemdNotifier(new NotifySocket(name.trim()),
        Watchdog.timeout(env, ProcessHandle.current().pid()));
  }

  /** True when systemd gave us a socket to notify. */
  public boolean enabled() {
    return socket != null;
  }

  /** The watchdog timeout systemd set ({@code WatchdogSec=}), if it is ours. */
  public Optional<Duration> watchdogTimeout() {
    return watchdogTimeout;
  }

  public void ready(String status) {
    send("READY=1\nSTATUS=" + oneLine(status));
    if (socket != null) {
      log.debug("Sent READY=1 to systemd");
    }
  }

  public void status(String status) {
    send("STATUS=" + oneLine(status));
  }

  /** STOPPING=1; the watchdog stops first, so a deliberate stop is not reported as unhealthy. */
  public synchronized void stopping() {
    stopWatchdog();
    send("STOPPING=1\nSTATUS=Stopping");
  }

  /** Sends WATCHDOG=1 every WATCHDOG_USEC/2 while {@code healthy} says so; no-op without a watchdog. */
  public synchronized void startWatchdog(BooleanSupplier healthy) {
    if (socket == null || watchdog != null || watchdogTimeout.isEmpty()) {
      return;
    }
    watchdog = Watchdog.start(socket, watchdogTimeout.get(), healthy);
  }

  @Override
  public synchronized void close() {
    stopWatchdog();
    if (socket != null) {
      socket.close();
    }
  }

  private void stopWatchdog() {
    if (watchdog != null) {
      watchdog.close();
      watchdog = null;
    }
  }

  private void send(String message) {
    if (socket != null) {
      socket.send(message);
    }
  }

  // A newline would start a new KEY=value assignment in the datagram.
  private static String oneLine(String s) {
    return s == null ? "" : s.replace('\n', ' ').replace('\r', ' ');
  }
}
