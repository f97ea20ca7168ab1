package pulse.jobs.backup;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import pulse.api.Job;
import pulse.api.JobContext;
import pulse.api.Setting;
import pulse.api.Settings;

/** {@code backup-check}: {@code restic check}, optionally reading a subset of the data too. */
final class CheckJob implements Job {
  static final String ID = "backup-check";
  static final String DEFAULT_SCHEDULE = "@weekly";

  @Override public String id() { return ID; }
  @Override public String defaultSchedule() { return DEFAULT_SCHEDULE; }

  @Override
  public String description() {
    return "restic check of the repository (with --read-data-subset if PULSE_BACKUP_CHECK_READ_DATA_SUBSET is set)";
  }

  @Override
  public List<Setting> settings() {
    return BackupSettings.plus(BackupSettings.CHECK);
  }

  @Override
  public Duration defaultTimeout() {
    return Duration.ofHours(6);
  }

  @Override
  public Optional<String> unavailableReason(Settings settings) {
    return BackupSettings.unavailable(settings);
  }

  @Override
  public List<String> preflight(Settings settings) {
    return Preflight.repository(settings);
  }

  @Override
  public void run(JobContext ctx) {
    List<String> args = new ArrayList<>(List.of("check"));
    ctx.settings().get(BackupSettings.CHECK_READ_DATA_SUBSET).ifPresent(subset -> {
      args.add("--read-data-subset");
      args.add(subset);
      ctx.summary("read_data_subset", subset);
    });
    new ResticCalls(ctx).run("check", args, ctx::output, Set.of(0));
    ctx.summary("errors_found", false);
  }
}
