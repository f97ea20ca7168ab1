package pulse.notify;

import pulse.api.TextTable;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import pulse.api.CommandContext;

/** {@code pulse silence}: add, list or remove silences through the daemon's API. */
@Command(name = "silence", mixinStandardHelpOptions = true,
    description = {"Silence notifications for a source (job:<id>, check:<name>, a family's <kind>:<name>, a job id, or all).",
        "Alerts are still recorded. Examples:",
        "  pulse silence backup-db --for 2h --reason \"disk swap\"",
        "  pulse silence all --until 2026-01-31T18:00:00Z --reason maintenance",
        "  pulse silence --list",
        "  pulse silence --remove 3"})
final class SilenceCommand implements Callable<Integer> {
  private final CommandContext context;
  @Spec CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "SOURCE", description = "job:<id>, check:<name>, a family's <kind>:<name>, a job id, or all")
  String source;

  @Option(names = "--for", paramLabel = "DURATION", description = "how long, such as 2h or 30m")
  String duration;

  @Option(names = "--until", paramLabel = "TIME", description = "until when, ISO-8601 UTC such as 2026-01-31T18:00:00Z")
  String until;

  @Option(names = "--reason", paramLabel = "TEXT", description = "why (required when adding)")
  String reason;

  @Option(names = "--list", description = "list the silences in force")
  boolean list;

  @Option(names = "--remove", paramLabel = "ID", description = "end a silence now")
  Long remove;

  SilenceCommand(CommandContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    int[] code = new int[1];
    if (list) {
      JsonNode all = CliSupport.json(context.get("/api/silences"), err, code);
      if (all != null) {
        if (all.path("silences").isEmpty()) {
          out.println("No silences in force.");
        } else {
          TextTable t = new TextTable("ID", "SOURCE", "UNTIL", "REASON");
          for (JsonNode s : all.path("silences")) {
            t.row(s.path("id").asText(), s.path("source").asText(), s.path("until").asText(), CliSupport.text(s.path("reason"), 80));
          }
          t.print(out);
        }
      }
      out.flush();
      return code[0];
    }
    if (remove != null) {
      if (CliSupport.json(context.delete("/api/silences/" + remove), err, code) != null) {
        out.println("Removed silence " + remove + ".");
      }
      out.flush();
      return code[0];
    }
    if (source == null) {
      throw new ParameterException(spec.commandLine(), "name a SOURCE (job:<id>, check:<name>, a family's <kind>:<name>, a job id, or all), or use --list or --remove ID");
    }
    if ((duration == null) == (until == null)) {
      throw new ParameterException(spec.commandLine(), "give exactly one of --for DURATION or --until TIME");
    }
    if (reason == null || reason.isBlank()) {
      throw new ParameterException(spec.commandLine(), "--reason is required: say why, such as --reason \"disk replacement\"");
    }
    ObjectNode body = Messages.JSON.createObjectNode().put("source", source).put("reason", reason);
    if (duration != null) {
      body.put("duration", duration);
    } else {
      body.put("until", until);
    }
    JsonNode s = CliSupport.json(context.post("/api/silences", body.toString()), err, code);
    if (s != null) {
      out.println("Silenced " + s.path("source").asText() + " until " + s.path("until").asText() + " (id " + s.path("id").asText() + ").");
    }
    out.flush();
    return code[0];
  }
}
