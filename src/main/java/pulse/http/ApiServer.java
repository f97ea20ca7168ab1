package pulse.http;

import pulse.core.Daemon;
import pulse.telemetry.Telemetry;

/** The daemon's HTTP API and status page. STUB: being written on main. */
public final class ApiServer implements AutoCloseable {

  public static ApiServer start(Daemon daemon, Telemetry telemetry) {
    return new ApiServer();
  }

  public String address() {
    return "(not started)";
  }

  @Override
  public void close() {}
}
