package pulse.cli;

import java.util.Map;
import pulse.core.Daemon;
import pulse.telemetry.Telemetry;

/** What runs around the daemon's core: the HTTP API and the systemd notifications. */
final class DaemonServices implements AutoCloseable {

  static DaemonServices start(Daemon daemon, Telemetry telemetry, Map<String, String> env) {
    return new DaemonServices();
  }

  @Override
  public void close() {}
}
