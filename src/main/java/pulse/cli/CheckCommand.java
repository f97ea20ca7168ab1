package pulse.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import pulse.api.PreflightResult;
import pulse.config.PulseConfig;
import pulse.config.Redactor;
import pulse.core.JobPlan;
import pulse.core.PlannedJob;

/**
 * {@code pulse check}: validates the configuration and each enabled job's prerequisites without
 * running anything. Exits 1 on any problem, 78 on a configuration error.
 */
@Command(name = "check", description = "Validate the configuration and each enabled job's prerequisites.")
final class CheckCommand implements Callable<Integer> {
  @ParentCommand PulseCommand parent;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Bootstrap b = parent.bootstrap(); // configuration errors end here with exit 78
    PulseConfig c = b.config();
    PrintWriter out = spec.commandLine().getOut();
    List<String> problems = new ArrayList<>();
    out.println("ok    configuration" + c.envFile().map(f -> " (env file " + f + ")").orElse(" (no env file)"));
    checkStateDir(c.stateDir(), out, problems);
    b.found().problems().forEach(p -> fail(out, problems, "plugin: " + p));
    checkApi(c, out);
    for (PlannedJob p : JobPlan.plan(b.found(), c)) {
      if (!p.enabled()) {
        out.println("skip  job " + p.id() + ": " + p.disabledReason());
        continue;
      }
      List<PreflightResult> found;
      try {
        found = p.job().preflightResults(c.settings());
      } catch (RuntimeException | LinkageError e) {
        found = List.of(PreflightResult.problem("its preflight check failed: " + e));
      }
      if (found.stream().allMatch(PreflightResult::ok)) {
        out.println("ok    job " + p.id() + " (" + p.schedule().text() + ")");
      }
      for (PreflightResult f : found) {
        String line = "job " + p.id() + ": " + Redactor.redactText(f.text());
        if (f.ok()) {
          out.println("ok    " + line);
        } else {
          fail(out, problems, line);
        }
      }
    }
    out.println(problems.isEmpty() ? "all checks passed" : problems.size() + " problem(s) found");
    out.flush();
    return problems.isEmpty() ? ExitCodes.OK : ExitCodes.FAILURE;
  }

  private static void fail(PrintWriter out, List<String> problems, String p) {
    problems.add(p);
    out.println("FAIL  " + p);
  }

  private static void checkStateDir(Path dir, PrintWriter out, List<String> problems) {
    try {
      Files.createDirectories(dir);
      Path probe = Files.createTempFile(dir, ".check", ".tmp");
      Files.delete(probe);
      out.println("ok    state directory " + dir + " is writable");
    } catch (IOException | SecurityException e) {
      fail(out, problems, "state directory " + dir + " is not writable (" + e.getMessage()
          + "); set PULSE_STATE_DIR or fix its owner");
    }
  }

  /** The API port must be free, or held by a running Pulse. */
  private static void checkApi(PulseConfig c, PrintWriter out) {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(c.api().host(), c.api().port()));
      out.println("ok    API address " + c.api().host() + ":" + c.api().port() + " is free");
    } catch (IOException e) {
      out.println("note  API address " + c.api().host() + ":" + c.api().port()
          + " is in use (fine if the daemon is running: 'pulse status')");
    }
  }
}
