package pulse.systemd;

import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * sd_notify(3) for {@code Type=notify}: READY=1, STOPPING=1, STATUS= and WATCHDOG=1 on the
 * datagram socket systemd names in {@code NOTIFY_SOCKET}. Without that variable every call is a
 * no-op, so the daemon runs the same outside systemd.
 */
public final class SystemdNotifier implements AutoCloseable {
  // STUB: the systemd branch replaces this with the junixsocket implementation and the watchdog.

  public static SystemdNotifier fromEnvironment(Map<String, String> env) {
    return new SystemdNotifier();
  }

  public void ready(String status) {}

  public void status(String status) {}

  public void stopping() {}

  /** Sends WATCHDOG=1 every WATCHDOG_USEC/2 while {@code healthy} says so; no-op without a watchdog. */
  public void startWatchdog(BooleanSupplier healthy) {}

  @Override
  public void close() {}
}
