package pulse.cli;

import java.util.Map;
import pulse.core.Daemon;
import pulse.http.ApiServer;
import pulse.systemd.SystemdNotifier;
import pulse.telemetry.Telemetry;

/** What runs around the daemon's core: the HTTP API and the systemd notifications. */
final class DaemonServices implements AutoCloseable {
  private final ApiServer api;
  private final SystemdNotifier systemd;

  private DaemonServices(ApiServer api, SystemdNotifier systemd) {
    this.api = api;
    this.systemd = systemd;
  }

  /**
   * Starts the API, then tells systemd we are ready: READY=1 only once the scheduler runs and the
   * API answers, so {@code systemctl start} returns when Pulse can actually be used.
   */
  static DaemonServices start(Daemon daemon, Telemetry telemetry, Map<String, String> env) {
    ApiServer api = ApiServer.start(daemon, telemetry, Version.current());
    SystemdNotifier systemd = SystemdNotifier.fromEnvironment(env);
    systemd.ready("Scheduler running; API on " + api.address());
    systemd.startWatchdog(daemon::healthy);
    return new DaemonServices(api, systemd);
  }

  /** STOPPING=1 first, so systemd shows "deactivating" while jobs are being stopped. */
  void stopping() {
    systemd.stopping();
  }

  @Override
  public void close() {
    api.close();
    systemd.close();
  }
}
