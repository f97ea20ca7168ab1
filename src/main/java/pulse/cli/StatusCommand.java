package pulse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code pulse status}: is the daemon up, and how is it doing. */
@Command(name = "status", description = "Show whether the daemon runs, its uptime and job counts.")
final class StatusCommand implements Callable<Integer> {
  @ParentCommand PulseCommand parent;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Bootstrap b = parent.bootstrap();
    PrintWriter out = spec.commandLine().getOut();
    JsonNode h;
    try {
      h = Cli.client(b).get("/api/health");
    } catch (DaemonClient.Unavailable e) {
      out.println("pulse is not running: " + e.getMessage());
      return ExitCodes.NOT_RUNNING;
    }
    out.println("pulse " + h.path("version").asText() + " is running at " + Cli.client(b).base());
    out.println("  started:   " + Table.time(h.path("started_at")) + " (up " + h.path("uptime_seconds").asLong() + "s)");
    out.println("  scheduler: " + h.path("scheduler").asText());
    JsonNode j = h.path("jobs");
    out.println("  jobs:      " + j.path("enabled").asInt() + " enabled, " + j.path("disabled").asInt() + " disabled, "
        + j.path("running").asInt() + " running");
    out.flush();
    return ExitCodes.OK;
  }
}
