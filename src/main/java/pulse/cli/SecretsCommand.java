package pulse.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pulse secrets inject}: resolves the op:// references in .env.op with 1Password's CLI. */
@Command(name = "secrets", description = "Manage the env file's secrets.", subcommands = SecretsCommand.Inject.class)
final class SecretsCommand {

  @Command(name = "inject", description = "Run 'op inject -i .env.op -o .env' and leave .env at mode 0600.")
  static final class Inject implements Callable<Integer> {
    static final String DEFAULT_IN = ".env.op";
    static final String DEFAULT_OUT = ".env";
    static final long TIMEOUT_SECONDS = 120;
    @Spec CommandSpec spec;

    @Option(names = {"-i", "--in"}, paramLabel = "FILE", defaultValue = DEFAULT_IN, description = "template with op:// references (default ${DEFAULT-VALUE})")
    Path in;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", defaultValue = DEFAULT_OUT, description = "env file to write (default ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--op", paramLabel = "PATH", defaultValue = "op", description = "the 1Password CLI (default ${DEFAULT-VALUE})")
    String op;

    @Override
    public Integer call() throws IOException, InterruptedException {
      if (!Files.isReadable(in)) {
        throw new UserError(ExitCodes.CONFIG, in + " not found or not readable; it lists secrets as op:// references");
      }
      // Create the output 0600 first, so the secrets are never readable by others, not even briefly.
      if (!Files.exists(out)) {
        Files.createFile(out, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      }
      Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rw-------"));
      Process p;
      try {
        p = new ProcessBuilder(List.of(op, "inject", "--force", "-i", in.toString(), "-o", out.toString()))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
      } catch (IOException e) {
        throw new UserError(ExitCodes.UNAVAILABLE, "cannot run '" + op
            + "': install the 1Password CLI and sign in (op signin), or pass --op PATH");
      }
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new UserError(ExitCodes.FAILURE, "op inject did not finish within " + TIMEOUT_SECONDS + "s; is op waiting for a sign-in?");
      }
      Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rw-------"));
      if (p.exitValue() != 0) {
        throw new UserError(ExitCodes.FAILURE, "op inject failed (exit " + p.exitValue() + "); its message is above");
      }
      spec.commandLine().getOut().println("wrote " + out + " (mode 0600) from " + in);
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    }
  }
}
