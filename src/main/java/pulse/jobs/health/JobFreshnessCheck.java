package pulse.jobs.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import pulse.api.Durations;

/**
 * {@code job:<id>}, a dead man's switch: fails when the job has not succeeded (or finished
 * partially) for longer than {@code _MAX_AGE}. A job that never succeeded is measured from the
 * daemon's start, so a fresh install does not alert before the job had its chance.
 */
final class JobFreshnessCheck implements Check {
  private final CheckDefinition def;
  private final String jobId;
  private final Duration maxAge;
  private final JobFacts facts;
  private final Clock clock;

  JobFreshnessCheck(CheckDefinition def, JobFacts facts, Clock clock) {
    this.def = def;
    this.jobId = CheckKind.rest(def.value());
    this.maxAge = def.duration(CheckOption.MAX_AGE).orElseThrow();
    this.facts = facts;
    this.clock = clock;
  }

  @Override
  public CheckDefinition definition() {
    return def;
  }

  @Override
  public String probe() throws CheckFailedException {
    Instant now = clock.instant();
    Instant last = facts.lastSuccessByJob().get(jobId);
    if (last == null) {
      Duration up = Duration.between(facts.since(), now);
      if (up.compareTo(maxAge) > 0) {
        throw new CheckFailedException("job " + jobId + " has not succeeded since Pulse started " + ago(up)
            + " (" + def.key(CheckOption.MAX_AGE) + "=" + Durations.format(maxAge) + ")");
      }
      return "job " + jobId + " has not succeeded yet; Pulse started " + ago(up) + ", within " + Durations.format(maxAge);
    }
    Duration age = Duration.between(last, now);
    if (age.compareTo(maxAge) > 0) {
      throw new CheckFailedException("job " + jobId + " last succeeded " + ago(age) + " (" + last + "), longer than "
          + def.key(CheckOption.MAX_AGE) + "=" + Durations.format(maxAge));
    }
    return "job " + jobId + " succeeded " + ago(age);
  }

  private static String ago(Duration d) {
    Duration whole = d.isNegative() ? Duration.ZERO : Duration.ofSeconds(d.toSeconds());
    return Durations.format(whole) + " ago";
  }
}
