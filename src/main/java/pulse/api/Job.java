package pulse.api;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A unit of scheduled work, discovered with {@link java.util.ServiceLoader}: implement it and list the
 * class in {@code META-INF/services/pulse.api.Job}. Pulse makes one instance per daemon and never
 * overlaps two runs of it: a fire that arrives while a run is still going is skipped.
 *
 * <p>Grow this interface with default methods only; {@link #run} keeps its signature.
 */
public interface Job {

  /**
   * Stable kebab-case id ({@code [a-z0-9]+(-[a-z0-9]+)*}). Settings, the API, spans and run history
   * use it; {@code PULSE_JOB_<ID>_SCHEDULE} overrides the schedule, where ID is upper-cased with
   * dashes turned into underscores.
   */
  String id();

  /**
   * Cron ({@code "0 * * * *"}, 5 fields, or Quartz's 6-7 fields with seconds), a macro ({@code
   * "@hourly"}, {@code "@daily"}, {@code "@weekly"}, {@code "@monthly"}) or an interval ({@code
   * "every 5m"}, {@code "30s"}, {@code "PT1H"}).
   */
  String defaultSchedule();

  /**
   * Does the work. Returning means success; throwing means failure, and the exception's message
   * becomes the run's error. Check {@link JobContext#isCancelled()} (or react to interruption) in
   * long loops: Pulse cancels a run on timeout and on shutdown.
   */
  void run(JobContext context) throws Exception;

  /** One line for {@code pulse jobs} and the status page. */
  default String description() {
    return "";
  }

  /**
   * The settings this job reads. Pulse validates them at startup, lists them in {@code pulse check},
   * and accepts their keys as known. A missing {@link Setting#required() required} setting keeps the
   * job disabled, with the missing keys named.
   */
  default List<Setting> settings() {
    return List.of();
  }

  /** How long a run may take before it is cancelled; {@code PULSE_JOB_<ID>_TIMEOUT} overrides. */
  default Duration defaultTimeout() {
    return Duration.ofHours(1);
  }

  /**
   * Why this job cannot run with these settings, beyond missing required keys (for example "needs
   * RESTIC_REPOSITORY or PULSE_BACKUP_REPOSITORY"). Empty means it can run. Called once at startup.
   */
  default Optional<String> unavailableReason(Settings settings) {
    return Optional.empty();
  }

  /**
   * Problems that would make a run fail, found without running it: a binary missing from PATH, an
   * unreadable file, an unreachable endpoint. {@code pulse check} prints them and exits non-zero.
   * Must be quick and must not change anything.
   */
  default List<String> preflight(Settings settings) {
    return List.of();
  }

  /**
   * What {@code pulse check} prints for this job: by default one problem per {@link #preflight}
   * line. A job that looks at several things (such as the health checks) overrides this to list the
   * passing ones as well. Same rules as {@link #preflight}: quick, changes nothing.
   */
  default List<PreflightResult> preflightResults(Settings settings) {
    return preflight(settings).stream().map(PreflightResult::problem).toList();
  }
}
