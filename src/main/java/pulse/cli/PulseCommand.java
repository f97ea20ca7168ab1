package pulse.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import pulse.api.Extension;
import pulse.config.ConfigException;

/** {@code pulse}: the top command. Subcommands reach shared state (env, config) through it. */
@Command(
    name = "pulse",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "Runs a host's recurring jobs on time, never twice, never silently.",
    subcommands = {
      DaemonCommand.class,
      JobsCommand.class,
      RunCommand.class,
      RunsCommand.class,
      StatusCommand.class,
      CheckCommand.class,
      SecretsCommand.class,
      DbCommand.class,
      VersionCommand.class,
      HelpCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:a job run failed, or 'check' found problems",
      "2:bad command line",
      "3:'status': the daemon is not running",
      "69:a needed tool or the daemon's API is unavailable",
      "70:internal error (a bug; see the log)",
      "78:bad configuration (the message names the setting and the fix)"
    })
public final class PulseCommand {
  private static final Logger log = LoggerFactory.getLogger(PulseCommand.class);

  @Option(
      names = "--env-file",
      scope = ScopeType.INHERIT,
      paramLabel = "FILE",
      description = "env file to read (default: $PULSE_ENV_FILE, else .env in the working directory)")
  Path envFile;

  private final Map<String, String> env;
  private Bootstrap bootstrap;

  PulseCommand(Map<String, String> env) {
    this.env = env;
  }

  Map<String, String> env() {
    return env;
  }

  /** Reads and validates the configuration once per command. */
  Bootstrap bootstrap() {
    if (bootstrap == null) {
      bootstrap = Bootstrap.load(Optional.ofNullable(envFile), env);
    }
    return bootstrap;
  }

  /** Builds the command line with extension subcommands and Pulse's error handling. */
  static CommandLine commandLine(Map<String, String> env, PrintWriter out, PrintWriter err) {
    PulseCommand root = new PulseCommand(env);
    CommandLine cl = new CommandLine(root);
    cl.addSubcommand("completion", new AutoComplete.GenerateCompletion());
    // Built-in extensions only: plugin jars are found after the env file is read, too late for parsing.
    ExtensionCommandContext context = new ExtensionCommandContext(root);
    for (Extension x : ServiceLoader.load(Extension.class, PulseCommand.class.getClassLoader())) {
      for (Object command : x.commands(context)) {
        cl.addSubcommand(command);
      }
    }
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler((e, commandLine, parsed) -> handle(e, commandLine.getErr()));
    return cl;
  }

  /** Runs the CLI; returns the exit code. */
  public static int execute(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
    Logging.quietForCommands(args);
    return commandLine(env, out, err).execute(args);
  }

  static int handle(Exception e, PrintWriter err) {
    if (e instanceof ConfigException c) {
      for (String p : c.problems()) {
        err.println("pulse: config: " + p);
      }
      return ExitCodes.CONFIG;
    }
    if (e instanceof java.net.ConnectException) {
      err.println("pulse: the daemon is not running (its API refused the connection); start it with 'systemctl start pulse' or 'pulse daemon'");
      return ExitCodes.UNAVAILABLE;
    }
    if (e instanceof DaemonClient.Unavailable) {
      err.println("pulse: " + e.getMessage() + "; start it with 'systemctl start pulse' or 'pulse daemon'");
      return ExitCodes.UNAVAILABLE;
    }
    if (e instanceof DaemonClient.Refused r) {
      err.println("pulse: the daemon refused: " + r.getMessage());
      return r.status == 401 || r.status == 403 ? ExitCodes.CONFIG : ExitCodes.FAILURE;
    }
    if (e instanceof UserError u) {
      err.println("pulse: " + u.getMessage());
      return u.exitCode;
    }
    log.error("Internal error", e);
    err.println("pulse: internal error: " + pulse.config.Redactor.redactText(String.valueOf(e)) + " (a bug; the log has details)");
    return ExitCodes.SOFTWARE;
  }
}
