package pulse.cli;

import pulse.api.TextTable;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code pulse runs}: recent runs from the daemon's history. */
@Command(name = "runs", description = "List recent runs, newest first.")
final class RunsCommand implements Callable<Integer> {
  @ParentCommand PulseCommand parent;
  @Spec CommandSpec spec;

  @Option(names = "--job", paramLabel = "ID", description = "only this job")
  String job;

  @Option(names = "--failed", description = "only failed runs")
  boolean failed;

  @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "20", description = "at most N runs (default ${DEFAULT-VALUE})")
  int limit;

  @Override
  public Integer call() throws Exception {
    if (limit < 1 || limit > 1000) {
      throw new UserError(ExitCodes.USAGE, "-n " + limit + ": use a number from 1 to 1000");
    }
    Bootstrap b = parent.bootstrap();
    StringBuilder q = new StringBuilder("/api/runs?limit=").append(limit);
    if (job != null) {
      q.append("&job=").append(URLEncoder.encode(job, StandardCharsets.UTF_8));
    }
    if (failed) {
      q.append("&failed=true");
    }
    JsonNode runs = Cli.client(b).get(q.toString());
    TextTable t = new TextTable("RUN", "JOB", "TRIGGER", "STARTED", "DURATION", "OUTCOME", "ERROR");
    for (JsonNode r : runs) {
      t.row(r.path("id").asText(), r.path("job_id").asText(), r.path("trigger").asText(), Table.time(r.path("started_at")),
          Table.millis(r.path("duration_ms")), r.path("outcome").asText(), Table.text(r.path("error_message")));
    }
    t.print(spec.commandLine().getOut());
    return ExitCodes.OK;
  }
}
