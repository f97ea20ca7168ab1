package pulse.jobs.health;

import java.io.IOException;
import pulse.jobs.shared.Subprocess;

/** {@code systemd:<unit>}: healthy when {@code systemctl is-active <unit>} says {@code active}. */
final class SystemdCheck implements Check {
  private final CheckDefinition def;
  private final String unit;

  SystemdCheck(CheckDefinition def) {
    this.def = def;
    this.unit = CheckKind.rest(def.value());
  }

  @Override
  public CheckDefinition definition() {
    return def;
  }

  @Override
  public String probe() throws CheckFailedException, IOException {
    Subprocess.Result r = Subprocess.of("systemctl", "is-active", unit).timeout(def.timeout())
        .grace(CommandCheck.STOP_GRACE).tailLines(5).cancelledWhen(() -> Thread.currentThread().isInterrupted()).run();
    String state = r.stdoutText().strip();
    if (r.end() != Subprocess.End.EXITED) {
      throw new CheckFailedException("systemctl is-active " + unit + " did not answer within " + CheckRunner.text(def.timeout()));
    }
    if (r.exitCode() == 0 && state.equals("active")) {
      return unit + " is active";
    }
    if (state.isEmpty()) {
      // no state at all: systemctl itself could not ask (no systemd as PID 1, no bus, no permission)
      String err = r.stderrTail().isEmpty() ? "exit " + r.exitCode() : r.stderrTail().get(0).strip();
      throw new CheckFailedException("systemctl is-active " + unit + " could not tell: " + err);
    }
    throw new CheckFailedException(unit + " is " + state + " (systemctl is-active; see systemctl status " + unit + ")");
  }
}
