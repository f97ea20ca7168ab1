package pulse.jobs.health;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import pulse.jobs.shared.Subprocess;

/**
 * {@code cmd:<program> <args>}: runs the program (no shell) and is healthy when it exits with the
 * expected code (default 0) within the timeout. The last line it printed explains a failure.
 */
final class CommandCheck implements Check {
  /** Short: a check command that ignores SIGINT should not hold up the run for long. */
  static final Duration STOP_GRACE = Duration.ofSeconds(2);

  private final CheckDefinition def;
  private final List<String> argv;
  private final int expected;

  CommandCheck(CheckDefinition def) {
    this.def = def;
    this.argv = CheckSyntax.argv(CheckKind.rest(def.value()));
    this.expected = def.integer(CheckOption.EXPECT_EXIT).orElseThrow();
  }

  @Override
  public CheckDefinition definition() {
    return def;
  }

  @Override
  public String probe() throws CheckFailedException, IOException {
    Subprocess.Result r = Subprocess.of(argv).timeout(def.timeout()).grace(STOP_GRACE).tailLines(20)
        .cancelledWhen(() -> Thread.currentThread().isInterrupted()).run();
    String program = argv.get(0);
    if (r.end() == Subprocess.End.TIMED_OUT) {
      throw new CheckFailedException(program + " did not finish within " + CheckRunner.text(def.timeout())
          + "; it was stopped");
    }
    if (r.end() == Subprocess.End.CANCELLED) {
      throw new CheckFailedException(program + " was stopped before it finished");
    }
    if (r.exitCode() != expected) {
      throw new CheckFailedException(program + " exited " + r.exitCode() + " (expected " + expected + ")"
          + lastLine(r));
    }
    return program + " exited " + r.exitCode() + " in " + CheckRunner.text(r.took());
  }

  private static String lastLine(Subprocess.Result r) {
    List<String> lines = r.stderrTail().isEmpty() ? r.stdoutTail() : r.stderrTail();
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (!lines.get(i).isBlank()) {
        String l = lines.get(i).strip();
        return ": " + (l.length() > 300 ? l.substring(0, 300) + "..." : l);
      }
    }
    return "";
  }
}
