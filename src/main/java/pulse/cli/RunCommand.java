package pulse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import pulse.core.JobNotRunnableException;
import pulse.core.LocalRun;
import pulse.core.UnknownJobException;
import pulse.store.Outcome;
import pulse.store.RunRecord;
import pulse.telemetry.Telemetry;

/**
 * {@code pulse run ID}: one run now, with the same span and history as a scheduled one. Through the
 * daemon when it runs; in this process when it does not. The exit code is the outcome.
 */
@Command(name = "run", description = "Run one job now and wait for it; the exit code is the outcome.")
final class RunCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();
  @ParentCommand PulseCommand parent;
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "ID", description = "the job id (see 'pulse jobs')")
  String id;

  @Option(names = "--no-wait", description = "return once the daemon started the run")
  boolean noWait;

  @Override
  public Integer call() throws Exception {
    Bootstrap b = parent.bootstrap();
    DaemonClient client = Cli.client(b);
    PrintWriter out = spec.commandLine().getOut();
    long runId;
    try {
      runId = client.post("/api/jobs/" + id + "/run", "{}").path("run_id").asLong();
    } catch (DaemonClient.Unavailable e) {
      return runHere(b, out);
    } catch (DaemonClient.Refused e) {
      int code = e.status == 404 || e.status == 409 ? ExitCodes.FAILURE : e.status == 401 || e.status == 403 ? ExitCodes.CONFIG : ExitCodes.FAILURE;
      throw new UserError(code, e.getMessage());
    }
    out.println("run " + runId + " of " + id + " started by the daemon");
    out.flush();
    if (noWait) {
      return ExitCodes.OK;
    }
    while (true) {
      JsonNode r = client.get("/api/runs/" + runId);
      if (!"running".equals(r.path("outcome").asText())) {
        return report(out, r);
      }
      Thread.sleep(200);
    }
  }

  private int runHere(Bootstrap b, PrintWriter out) {
    out.println("the daemon is not running: running " + id + " in this process");
    out.flush();
    try (Telemetry telemetry = Telemetry.start(b.config().settings().values(), Version.current())) {
      RunRecord r = LocalRun.run(b.config(), b.found(), telemetry, Clock.systemUTC(), id);
      ObjectNode n = JSON.createObjectNode();
      n.put("id", r.id());
      n.put("job_id", r.jobId());
      n.put("outcome", r.outcome().label());
      n.put("duration_ms", r.duration() == null ? 0 : r.duration().toMillis());
      n.put("error_message", r.errorMessage());
      n.put("output_tail", r.outputTail());
      n.put("trace_id", r.traceId());
      return report(out, n);
    } catch (UnknownJobException | JobNotRunnableException e) {
      throw new UserError(ExitCodes.FAILURE, e.getMessage());
    }
  }

  private static int report(PrintWriter out, JsonNode r) {
    String outcome = r.path("outcome").asText();
    String tail = Table.text(r.path("output_tail"));
    if (tail != null && !tail.isEmpty()) {
      out.println("--- output (tail) ---");
      out.println(tail);
      out.println("---");
    }
    StringBuilder line = new StringBuilder("run " + r.path("id").asText() + " of " + r.path("job_id").asText() + ": "
        + outcome + " in " + Table.millis(r.path("duration_ms")));
    String error = Table.text(r.path("error_message"));
    if (error != null && !error.isEmpty()) {
      line.append(": ").append(error);
    }
    String trace = Table.text(r.path("trace_url"));
    line.append(trace != null ? " (trace " + trace + ")" : r.hasNonNull("trace_id") ? " (trace id " + r.path("trace_id").asText() + ")" : "");
    out.println(line);
    out.flush();
    Outcome o = Outcome.fromLabel(outcome);
    return o.isFailure() ? ExitCodes.FAILURE : ExitCodes.OK;
  }
}
