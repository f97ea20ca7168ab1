package pulse.jobs.backup;

import pulse.api.TextTable;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import pulse.api.CommandContext;
import pulse.api.Settings;
import pulse.jobs.shared.Subprocess;

/**
 * {@code pulse backup snapshots} and {@code pulse backup init}: restic run from this process with
 * the configured settings; no daemon needed.
 */
@Command(name = "backup", description = "restic backups: list snapshots, initialise the repository.")
final class BackupCommand implements Callable<Integer> {
  // the CLI's exit codes (pulse.cli.ExitCodes), repeated: jobs depend on pulse.api only
  static final int FAILURE = 1;
  static final int UNAVAILABLE = 69;
  static final int CONFIG = 78;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration INIT_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration LIST_TIMEOUT = Duration.ofMinutes(5);

  private final CommandContext context;
  @Spec CommandSpec spec;

  BackupCommand(CommandContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  @Command(name = "snapshots", description = "List the repository's snapshots (newest last).")
  int snapshots(@Option(names = "--json", description = "print restic's JSON as is") boolean json) {
    Optional<Settings> s = configured();
    if (s.isEmpty()) {
      return CONFIG;
    }
    Subprocess.Result r;
    try {
      r = new Restic(s.get()).command("snapshots", "--json", "--no-lock").timeout(LIST_TIMEOUT).tailLines(1_000_000).run();
    } catch (IOException e) {
      return cannotStart("snapshots", s.get(), e);
    }
    if (!r.ok()) {
      return failed("snapshots", s.get(), r);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(r.stdoutText());
      out.flush();
      return 0;
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"ID", "TIME", "HOST", "TAGS", "PATHS"});
    try {
      for (JsonNode n : JSON.readTree(r.stdoutText().isBlank() ? "[]" : r.stdoutText())) {
        rows.add(new String[] {n.path("short_id").asText(), n.path("time").asText().replaceFirst("\\.\\d+", ""),
            n.path("hostname").asText(), join(n.path("tags")), join(n.path("paths"))});
      }
    } catch (IOException e) {
      spec.commandLine().getErr().println("restic snapshots printed something that is not JSON: " + e.getMessage());
      return FAILURE;
    }
    TextTable.print(out, rows);
    out.println((rows.size() - 1) + " snapshot(s)");
    out.flush();
    return 0;
  }

  @Command(name = "init", description = "Initialise the configured repository (once, before the first backup).")
  int init() {
    Optional<Settings> s = configured();
    if (s.isEmpty()) {
      return CONFIG;
    }
    PrintWriter out = spec.commandLine().getOut();
    Subprocess.Result r;
    try {
      r = new Restic(s.get()).command("init").timeout(INIT_TIMEOUT).onStdout(out::println).run();
    } catch (IOException e) {
      return cannotStart("init", s.get(), e);
    }
    if (!r.ok()) {
      if (r.stderrText().contains("already exists") || r.stderrText().contains("already initialized")) {
        spec.commandLine().getErr().println("repository " + repository(s.get()) + " is already initialised;"
            + " nothing to do ('pulse backup snapshots' lists it)");
        spec.commandLine().getErr().flush();
        return FAILURE;
      }
      return failed("init", s.get(), r);
    }
    out.println("initialised repository " + repository(s.get()) + "; keep its password safe: without it the backups"
        + " cannot be read");
    out.flush();
    return 0;
  }

  private Optional<Settings> configured() {
    Settings s = context.settings();
    Optional<String> why = BackupSettings.unavailable(s);
    if (why.isPresent()) {
      spec.commandLine().getErr().println("backups are not configured: " + why.get() + " (env file or environment)");
      spec.commandLine().getErr().flush();
      return Optional.empty();
    }
    return Optional.of(s);
  }

  private int cannotStart(String command, Settings s, IOException e) {
    spec.commandLine().getErr().println(ResticFailure.CANNOT_START.message(command, repository(s), e.getMessage()));
    spec.commandLine().getErr().flush();
    return UNAVAILABLE;
  }

  private int failed(String command, Settings s, Subprocess.Result r) {
    spec.commandLine().getErr().println(ResticFailure.classify(r.stderrText())
        .message(command, repository(s), ResticFailure.lastErrorLine(r.stderrTail())));
    spec.commandLine().getErr().flush();
    return FAILURE;
  }

  private static String repository(Settings s) {
    return BackupSettings.repository(s).orElse("?");
  }

  private static String join(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return String.join(",", out);
  }
}
