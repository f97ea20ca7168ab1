package pulse.jobs.prompt;

import pulse.api.TextTable;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import pulse.api.CommandContext;

/** {@code pulse prompt ...}: the prompt queue from the command line, through the daemon's API. */
@Command(name = "prompt", description = "Prompt pulses: schedule, list, show and cancel (through the running daemon).",
    subcommands = HelpCommand.class)
public final class PromptCommand {
  static final int OK = 0;
  static final int REFUSED = 1;
  static final int CONFIG = 78;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

  private final CommandContext ctx;
  @Spec CommandSpec spec;

  public PromptCommand(CommandContext ctx) {
    this.ctx = ctx;
  }

  @Command(name = "schedule", description = "Schedule a prompt pulse.")
  int schedule(
      @Parameters(paramLabel = "PROMPT", description = "the prompt (one argument: quote it)") String prompt,
      @Option(names = "--at", defaultValue = "now", description = "now, an ISO-8601 time, 'in 2h' or '+30m' (default: ${DEFAULT-VALUE})") String at,
      @Option(names = {"-p", "--priority"}, defaultValue = "normal", description = "critical, high, normal, low or deferred (default: ${DEFAULT-VALUE})") String priority,
      @Option(names = "--source", defaultValue = "cli", description = "who asked (default: ${DEFAULT-VALUE})") String source,
      @Option(names = "--tag", description = "a tag; repeat for more") List<String> tags,
      @Option(names = "--notes", description = "free text kept with the pulse") String notes)
      throws IOException {
    ObjectNode body = JSON.createObjectNode();
    body.put("prompt", prompt);
    body.put("scheduled_at", at);
    body.put("priority", priority);
    body.put("source", source);
    if (tags != null) {
      body.putPOJO("tags", tags);
    }
    if (notes != null) {
      body.put("notes", notes);
    }
    CommandContext.Response r = ctx.post("/api/pulse/schedule", JSON.writeValueAsString(body));
    if (r.status() != 201) {
      return refused(r);
    }
    JsonNode p = JSON.readTree(r.body());
    out().printf("Scheduled pulse %d (%s) for %s%n", p.path("id").asLong(), p.path("priority").asText(),
        time(p.path("scheduled_at")));
    return OK;
  }

  @Command(name = "list", description = "Pending and running pulses in run order (--all: the newest of any status).")
  int list(
      @Option(names = "--all", description = "the newest pulses, finished ones too") boolean all,
      @Option(names = {"-n", "--limit"}, defaultValue = "50", description = "at most this many (default: ${DEFAULT-VALUE})") int limit,
      @Option(names = "--json", description = "print the API's JSON") boolean json)
      throws IOException {
    CommandContext.Response r = ctx.get("/api/pulse/" + (all ? "recent" : "upcoming") + "?limit=" + limit);
    if (r.status() != 200) {
      return refused(r);
    }
    if (json) {
      out().println(r.body());
      return OK;
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"ID", "STATUS", "PRIORITY", "SCHEDULED", "ATTEMPTS", "SOURCE", "PROMPT"});
    for (JsonNode p : JSON.readTree(r.body())) {
      rows.add(new String[] {p.path("id").asText(), p.path("status").asText(), p.path("priority").asText(),
          time(p.path("scheduled_at")), p.path("attempts").asText(), p.path("source").asText(), excerpt(p.path("prompt").asText())});
    }
    if (rows.size() == 1) {
      out().println(all ? "No pulses yet." : "No pulses pending.");
      return OK;
    }
    TextTable.print(out(), rows);
    return OK;
  }

  @Command(name = "show", description = "One pulse: its fields, last error and output tail.")
  int show(@Parameters(paramLabel = "ID") String id, @Option(names = "--json", description = "print the API's JSON") boolean json)
      throws IOException {
    CommandContext.Response r = ctx.get("/api/pulse/" + URLEncoder.encode(id, StandardCharsets.UTF_8));
    if (r.status() != 200) {
      return refused(r);
    }
    if (json) {
      out().println(r.body());
      return OK;
    }
    JsonNode p = JSON.readTree(r.body());
    PrintWriter out = out();
    for (String f : List.of("id", "status", "priority", "scheduled_at", "source", "attempts", "exit_code", "created_at",
        "started_at", "finished_at", "run_millis", "trace_id", "last_error")) {
      JsonNode v = p.path(f);
      if (!v.isMissingNode() && !v.isNull()) {
        out.printf("%-13s %s%n", f + ":", f.endsWith("_at") ? time(v) : v.asText());
      }
    }
    if (p.path("tags").size() > 0) {
      List<String> t = new ArrayList<>();
      p.path("tags").forEach(x -> t.add(x.asText()));
      out.printf("%-13s %s%n", "tags:", String.join(", ", t));
    }
    if (!p.path("notes").isNull() && !p.path("notes").isMissingNode()) {
      out.printf("%-13s %s%n", "notes:", p.path("notes").asText());
    }
    out.println("prompt:");
    out.println(indent(p.path("prompt").asText()));
    String tail = p.path("output_tail").isNull() ? "" : p.path("output_tail").asText();
    if (!tail.isEmpty()) {
      out.println("output (tail):");
      out.println(indent(tail));
    }
    return OK;
  }

  @Command(name = "cancel", description = "Cancel a pending pulse.")
  int cancel(@Parameters(paramLabel = "ID") String id) throws IOException {
    CommandContext.Response r = ctx.delete("/api/pulse/" + URLEncoder.encode(id, StandardCharsets.UTF_8));
    if (r.status() != 200) {
      return refused(r);
    }
    out().printf("Cancelled pulse %s%n", JSON.readTree(r.body()).path("id").asText());
    return OK;
  }

  private PrintWriter out() {
    return spec.commandLine().getOut();
  }

  private int refused(CommandContext.Response r) {
    String msg;
    try {
      JsonNode e = JSON.readTree(r.body());
      msg = e.path("error").asText("HTTP " + r.status());
    } catch (IOException | RuntimeException e) {
      msg = "HTTP " + r.status();
    }
    spec.commandLine().getErr().println("pulse: the daemon refused: " + msg);
    return r.status() == 401 || r.status() == 403 ? CONFIG : REFUSED;
  }

  private static String time(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return "-";
    }
    try {
      return TIME.format(Instant.parse(n.asText()));
    } catch (RuntimeException e) {
      return n.asText();
    }
  }

  private static String excerpt(String prompt) {
    String one = prompt.replaceAll("\\s+", " ").strip();
    return one.length() > 60 ? one.substring(0, 59) + "…" : one;
  }

  private static String indent(String text) {
    return "  " + text.replace("\n", "\n  ");
  }
}
