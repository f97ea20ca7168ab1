package pulse.jobs.health;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** Builds the probing objects for validated definitions. */
final class Checks {
  private Checks() {}

  /**
   * @param facts the daemon's job facts, or null outside the daemon (job checks are then skipped)
   */
  static List<Check> build(List<CheckDefinition> defs, JobFacts facts, Clock clock) {
    List<Check> out = new ArrayList<>();
    for (CheckDefinition d : defs) {
      out.add(switch (d.kind()) {
        case HTTP -> new HttpCheck(d, clock);
        case TCP -> new TcpCheck(d);
        case POSTGRES -> new PostgresCheck(d);
        case DISK -> new DiskCheck(d);
        case COMMAND -> new CommandCheck(d);
        case SYSTEMD -> new SystemdCheck(d);
        case JOB -> facts == null ? new SkippedCheck(d, "judged by the daemon from its run history; see 'pulse checks'")
            : new JobFreshnessCheck(d, facts, clock);
      });
    }
    return List.copyOf(out);
  }

  /** A check that cannot be judged where it runs. */
  record SkippedCheck(CheckDefinition definition, String why) implements Check {
    @Override
    public String probe() {
      throw new UnsupportedOperationException(why);
    }
  }
}
