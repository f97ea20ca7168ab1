package pulse.jobs.backup;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import pulse.api.CommandContext;
import pulse.api.Extension;
import pulse.api.ExtensionContext;
import pulse.api.Job;
import pulse.api.RunEvent;
import pulse.api.Setting;
import pulse.api.Settings;
import pulse.api.StatusSection;

/**
 * Backups with restic: the jobs {@code backup}, {@code backup-prune} and {@code backup-check}, their
 * settings, and {@code pulse backup snapshots|init}. The jobs stay disabled until a repository and a
 * password are configured.
 */
public final class BackupExtension implements Extension {
  private final List<Job> jobs = List.of(new BackupJob(this), new PruneJob(this), new CheckJob());
  private volatile BackupMetrics metrics = BackupMetrics.noop();
  private volatile Settings validated;
  private volatile ExtensionContext context;
  private final BackupStatus status = new BackupStatus();

  @Override
  public String name() {
    return "backup";
  }

  @Override
  public List<Setting> settings() {
    return BackupSettings.all();
  }

  /**
   * Also keeps the settings: the prune job's schedule is a setting of this family
   * (PULSE_BACKUP_PRUNE_SCHEDULE), and {@link Job#defaultSchedule()} has no settings to read it from.
   * Startup validates before it plans the jobs, in the daemon and in the CLI alike.
   */
  @Override
  public List<String> validate(Settings settings) {
    validated = settings;
    return BackupSettings.validate(settings);
  }

  @Override
  public List<Job> jobs() {
    return jobs;
  }

  @Override
  public void start(ExtensionContext context) {
    this.context = context;
    metrics = new BackupMetrics(context.openTelemetry());
  }

  @Override
  public Optional<StatusSection> statusSection() {
    return Optional.of(new StatusSection() {
      @Override
      public String title() {
        return "Backups";
      }

      @Override
      public String html() {
        ExtensionContext c = context;
        Settings s = c != null ? c.settings() : validated;
        return status.html(s == null ? Optional.of("not configured") : BackupSettings.unavailable(s),
            c == null ? Map.of() : c.lastSuccessByJob());
      }
    });
  }

  @Override
  public void runFinished(RunEvent event) {
    if (jobs.stream().anyMatch(j -> j.id().equals(event.jobId()))) {
      status.runFinished(event);
    }
  }

  @Override
  public List<Object> commands(CommandContext context) {
    return List.of(new BackupCommand(context));
  }

  BackupStatus status() {
    return status;
  }

  BackupMetrics metrics() {
    return metrics;
  }

  Optional<String> pruneSchedule() {
    Settings s = validated;
    return s == null ? Optional.empty() : s.get(BackupSettings.PRUNE_SCHEDULE);
  }
}
