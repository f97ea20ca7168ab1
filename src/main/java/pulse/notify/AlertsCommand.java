package pulse.notify;

import pulse.api.TextTable;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import pulse.api.CommandContext;

/** {@code pulse alerts}: open alerts and recently resolved ones, from the daemon. */
@Command(name = "alerts", mixinStandardHelpOptions = true, description = "List open alerts, then recently resolved ones.")
final class AlertsCommand implements Callable<Integer> {
  private final CommandContext context;
  @Spec CommandSpec spec;

  @Option(names = "--open", description = "only open alerts")
  boolean openOnly;

  AlertsCommand(CommandContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    int[] code = new int[1];
    JsonNode all = CliSupport.json(context.get("/api/alerts"), spec.commandLine().getErr(), code);
    if (all == null) {
      return code[0];
    }
    JsonNode open = all.path("open");
    if (open.isEmpty()) {
      out.println("No open alerts.");
    } else {
      table(open).print(out);
    }
    if (!openOnly && !all.path("recent").isEmpty()) {
      out.println();
      out.println("Recently resolved:");
      table(all.path("recent")).print(out);
    }
    for (JsonNode s : all.path("silences")) {
      out.println("Silenced: " + s.path("source").asText() + " until " + s.path("until").asText() + " (" + s.path("reason").asText()
          + ", id " + s.path("id").asText() + ")");
    }
    int givenUp = all.path("outbox").path("given_up").asInt();
    int waiting = all.path("outbox").path("waiting").asInt();
    if (waiting > 0) {
      out.println(waiting + " notification(s) waiting to be sent (a channel may be down; see the daemon's log)");
    }
    if (givenUp > 0) {
      out.println(givenUp + " notification(s) could not be delivered and were dropped (see the daemon's log)");
    }
    out.flush();
    return CliSupport.OK;
  }

  private static TextTable table(JsonNode alerts) {
    TextTable t = new TextTable("ID", "SOURCE", "STATE", "FAILING SINCE", "RESOLVED", "FAILURES", "LAST ERROR");
    for (JsonNode a : alerts) {
      String state = a.path("state").asText() + (a.path("flapping").asBoolean() ? " (flapping)" : "")
          + (a.path("silenced").asBoolean() ? " (silenced)" : "");
      t.row(a.path("id").asText(), a.path("source").asText(), state, a.path("failing_since").asText(),
          CliSupport.text(a.path("resolved_at"), 30), a.path("failure_count").asText(), CliSupport.text(a.path("last_error"), 80));
    }
    return t;
  }
}
