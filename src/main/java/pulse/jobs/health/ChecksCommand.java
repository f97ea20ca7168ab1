package pulse.jobs.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import pulse.api.CommandContext;

/**
 * {@code pulse checks}: the running daemon's latest result of every health check, from {@code GET
 * /api/checks}. Exits 1 when a check is failing, so scripts can use it.
 */
@Command(name = "checks", description = "Show the latest state of every health check (from the running daemon).")
final class ChecksCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final CommandContext context;
  @Spec CommandSpec spec;

  @Option(names = "--json", description = "print the API's JSON as it is")
  boolean json;

  ChecksCommand(CommandContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    CommandContext.Response r = context.get("/api/checks");
    if (r.status() != 200) {
      spec.commandLine().getErr().println("the daemon answered " + r.status() + ": " + r.body());
      return 1;
    }
    JsonNode checks = JSON.readTree(r.body()).path("checks");
    if (json) {
      out.println(r.body());
    } else if (checks.isEmpty()) {
      out.println("no checks configured (set PULSE_CHECK_<NAME>=..., see the README)");
    } else {
      out.printf("%-8s %-20s %-24s %8s  %s%n", "STATE", "CHECK", "CHECKED", "LATENCY", "RESULT");
      for (JsonNode c : checks) {
        String state = c.path("state").asText();
        out.printf("%-8s %-20s %-24s %8s  %s%n", state.equals("failed") ? "FAILED" : state, c.path("name").asText(),
            c.path("checked_at").asText("-"), c.path("latency_ms").isNumber() ? c.path("latency_ms").asLong() + " ms" : "-",
            c.path("message").asText(""));
      }
    }
    out.flush();
    for (JsonNode c : checks) {
      if (c.path("state").asText().equals("failed")) {
        return 1;
      }
    }
    return 0;
  }
}
