package pulse.cli;

import pulse.api.TextTable;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import pulse.core.JobPlan;
import pulse.core.PlannedJob;

/** {@code pulse jobs}: every job, its schedule, next fire, last outcome, and enabled or why not. */
@Command(name = "jobs", description = "List jobs: schedule, next fire, last outcome, enabled or why not.")
final class JobsCommand implements Callable<Integer> {
  @ParentCommand PulseCommand parent;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Bootstrap b = parent.bootstrap();
    TextTable t = new TextTable("ID", "SCHEDULE", "NEXT FIRE", "LAST RUN", "LAST OUTCOME", "STATUS");
    try {
      JsonNode jobs = Cli.client(b).get("/api/jobs");
      for (JsonNode j : jobs) {
        JsonNode last = j.path("last_run");
        String status = j.path("enabled").asBoolean()
            ? (j.path("running").asBoolean() ? "running" : "enabled")
            : "disabled: " + j.path("disabled_reason").asText();
        t.row(j.path("id").asText(), Table.text(j.path("schedule")), Table.time(j.path("next_fire")),
            Table.time(last.path("started_at")), Table.text(last.path("outcome")), status);
      }
      t.print(spec.commandLine().getOut());
    } catch (DaemonClient.Unavailable e) {
      for (PlannedJob p : JobPlan.plan(b.found(), b.config())) {
        t.row(p.id(), p.schedule() == null ? null : p.schedule().text(), null, null, null,
            p.enabled() ? "enabled" : "disabled: " + p.disabledReason());
      }
      t.print(spec.commandLine().getOut());
      spec.commandLine().getErr().println("(the daemon is not running: next fires and last runs are unknown)");
    } catch (DaemonClient.Refused e) {
      throw new UserError(ExitCodes.FAILURE, e.getMessage());
    }
    return ExitCodes.OK;
  }
}
