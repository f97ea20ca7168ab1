package pulse.jobs.backup;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import pulse.api.Job;
import pulse.api.JobContext;
import pulse.api.Setting;
import pulse.api.Settings;

/**
 * {@code backup-prune}: {@code restic prune} on its own schedule. Prune holds an exclusive lock and is
 * the slow part on a big repository, so it can move out of the hourly backup; it exists only when
 * PULSE_BACKUP_PRUNE_SCHEDULE is set.
 */
final class PruneJob implements Job {
  static final String ID = "backup-prune";
  /** Never used: the job is disabled unless PULSE_BACKUP_PRUNE_SCHEDULE gives its schedule. */
  static final String FALLBACK_SCHEDULE = "@weekly";

  private final BackupExtension extension;

  PruneJob(BackupExtension extension) {
    this.extension = extension;
  }

  @Override public String id() { return ID; }

  @Override
  public String defaultSchedule() {
    return extension.pruneSchedule().orElse(FALLBACK_SCHEDULE);
  }

  @Override
  public String description() {
    return "restic prune on PULSE_BACKUP_PRUNE_SCHEDULE (otherwise backup prunes after each forget)";
  }

  @Override
  public List<Setting> settings() {
    return BackupSettings.plus(List.of());
  }

  @Override
  public Duration defaultTimeout() {
    return Duration.ofHours(6);
  }

  @Override
  public Optional<String> unavailableReason(Settings settings) {
    return BackupSettings.unavailable(settings).or(() -> settings.get(BackupSettings.PRUNE_SCHEDULE).isPresent()
        ? Optional.empty()
        : Optional.of("prune runs after each backup; set " + BackupSettings.PRUNE_SCHEDULE + " to give it its own schedule"));
  }

  @Override
  public List<String> preflight(Settings settings) {
    return Preflight.repository(settings);
  }

  @Override
  public void run(JobContext ctx) {
    new ResticCalls(ctx).run("prune", List.of("prune"), ctx::output, Set.of(0));
  }
}
