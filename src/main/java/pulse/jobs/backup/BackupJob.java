package pulse.jobs.backup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import pulse.api.Job;
import pulse.api.JobContext;
import pulse.api.JobFailedException;
import pulse.api.Setting;
import pulse.api.Settings;
import pulse.jobs.shared.Subprocess;

/**
 * {@code backup}: {@code restic backup --json} of PULSE_BACKUP_PATHS, then {@code restic forget}
 * with the retention policy (and {@code --prune}, unless prune has a schedule of its own).
 */
final class BackupJob implements Job {
  static final String ID = "backup";
  static final String DEFAULT_SCHEDULE = "@hourly";
  /** restic's exit code when some source files could not be read; the snapshot was still made. */
  static final int EXIT_PARTIAL = 3;

  private final BackupExtension extension;

  BackupJob(BackupExtension extension) {
    this.extension = extension;
  }

  @Override public String id() { return ID; }
  @Override public String defaultSchedule() { return DEFAULT_SCHEDULE; }

  @Override
  public String description() {
    return "restic backup of PULSE_BACKUP_PATHS, then forget (and prune) by the retention policy";
  }

  @Override
  public List<Setting> settings() {
    List<Setting> out = new ArrayList<>(BackupSettings.plus(BackupSettings.BACKUP));
    out.replaceAll(s -> s.key().equals(BackupSettings.PATHS) ? s.asRequired() : s);
    return List.copyOf(out);
  }

  @Override
  public Duration defaultTimeout() {
    return Duration.ofHours(2);
  }

  @Override
  public Optional<String> unavailableReason(Settings settings) {
    return BackupSettings.unavailable(settings);
  }

  @Override
  public List<String> preflight(Settings settings) {
    List<String> out = new ArrayList<>(Preflight.repository(settings));
    out.addAll(Preflight.sources(settings));
    return out;
  }

  @Override
  public void run(JobContext ctx) {
    ResticCalls restic = new ResticCalls(ctx);
    BackupOutput out = new BackupOutput();
    // --json sends progress and the summary to stdout, and each unreadable file as JSON to stderr
    Subprocess.Result result = restic.run("backup", backupArgs(ctx.settings()), out::accept, line -> {
      if (line.startsWith("{")) {
        out.accept(line);
      }
      ctx.output(line);
    }, Set.of(0, EXIT_PARTIAL));
    // restic skips a missing path with one line on stderr and still exits 0 if another path exists
    List<String> skipped = ctx.settings().list(BackupSettings.PATHS).stream().filter(p -> !Files.exists(Path.of(p))).toList();
    BackupOutput.Summary s = out.summary().orElseThrow(() -> new JobFailedException(
        "restic backup ended without a summary line; see the run's output, and check the restic version (0.14+)"));
    ctx.summary("snapshot_id", s.snapshotId());
    ctx.summary("files_new", s.filesNew());
    ctx.summary("files_changed", s.filesChanged());
    ctx.summary("files_unmodified", s.filesUnmodified());
    ctx.summary("data_added", s.dataAdded());
    ctx.summary("total_bytes_processed", s.totalBytesProcessed());
    ctx.summary("total_duration_s", s.totalDurationSeconds());
    extension.metrics().record(ctx.jobId(), s);
    ctx.log().info("Snapshot {}: {} new, {} changed, {} unmodified files; {} bytes added", s.snapshotId(),
        s.filesNew(), s.filesChanged(), s.filesUnmodified(), s.dataAdded());

    List<String> warnings = new ArrayList<>();
    if (out.unreadableCount() > 0 || result.exitCode() == EXIT_PARTIAL) {
      ctx.summary("files_unreadable", (long) out.unreadableCount());
      String which = out.unreadable().isEmpty() ? "" : " (" + String.join(", ", out.unreadable())
          + (out.unreadableCount() > out.unreadable().size() ? ", ..." : "") + ")";
      warnings.add(Math.max(1, out.unreadableCount()) + " file(s) could not be read" + which + " but snapshot "
          + s.snapshotId() + " was still made; give Pulse's user read access or exclude them in "
          + BackupSettings.EXCLUDE_FILE);
    }
    if (!skipped.isEmpty()) {
      warnings.add("path(s) " + String.join(", ", skipped) + " do not exist and were skipped; fix "
          + BackupSettings.PATHS + " or mount the source");
    }
    if (!warnings.isEmpty()) {
      ctx.partial(String.join("; ", warnings));
    }

    ctx.checkCancelled();
    BackupOutput.ForgetResult forgot = forget(ctx, restic, s.snapshotId());
    extension.status().snapshot(new BackupStatus.Snapshot(ctx.clock().instant(), s, forgot));
  }

  private BackupOutput.ForgetResult forget(JobContext ctx, ResticCalls restic, String snapshotId) {
    boolean prune = ctx.settings().get(BackupSettings.PRUNE_SCHEDULE).isEmpty();
    AtomicReference<String> first = new AtomicReference<>();
    try {
      restic.run("forget", forgetArgs(ctx.settings(), prune), line -> {
        if (first.get() == null && !line.isBlank()) {
          first.set(line);
        } else {
          ctx.output(line); // the prune report, plain text
        }
      }, Set.of(0));
    } catch (JobFailedException e) {
      throw new JobFailedException("snapshot " + snapshotId + " was made, but " + e.getMessage(), e);
    }
    BackupOutput.ForgetResult f = BackupOutput.ForgetResult.parse(first.get() == null ? List.of() : List.of(first.get()));
    ctx.summary("snapshots_kept", (long) f.kept());
    ctx.summary("snapshots_removed", (long) f.removed());
    ctx.summary("pruned", prune && f.removed() > 0);
    return f;
  }

  static List<String> backupArgs(Settings s) {
    List<String> a = new ArrayList<>(List.of("backup", "--json"));
    for (String tag : BackupSettings.tags(s)) {
      a.add("--tag");
      a.add(tag);
    }
    s.get(BackupSettings.HOST).ifPresent(h -> {
      a.add("--host");
      a.add(h);
    });
    for (String x : BackupSettings.DEFAULT_EXCLUDES) {
      a.add("--exclude");
      a.add(x);
    }
    BackupSettings.excludeFile(s).ifPresent(f -> {
      a.add("--exclude-file");
      a.add(f.toString());
    });
    s.integer(BackupSettings.LIMIT_UPLOAD).ifPresent(kib -> {
      a.add("--limit-upload");
      a.add(String.valueOf(kib));
    });
    a.add("--");
    a.addAll(s.list(BackupSettings.PATHS));
    return a;
  }

  /** Only this host's snapshots with Pulse's tags: other machines and manual snapshots are left alone. */
  static List<String> forgetArgs(Settings s, boolean prune) {
    List<String> a = new ArrayList<>(List.of("forget", "--json",
        "--keep-hourly", String.valueOf(s.integer(BackupSettings.KEEP_HOURLY).orElse(BackupSettings.DEFAULT_KEEP_HOURLY)),
        "--keep-daily", String.valueOf(s.integer(BackupSettings.KEEP_DAILY).orElse(BackupSettings.DEFAULT_KEEP_DAILY)),
        "--keep-weekly", String.valueOf(s.integer(BackupSettings.KEEP_WEEKLY).orElse(BackupSettings.DEFAULT_KEEP_WEEKLY)),
        "--keep-monthly", String.valueOf(s.integer(BackupSettings.KEEP_MONTHLY).orElse(BackupSettings.DEFAULT_KEEP_MONTHLY)),
        "--host", s.get(BackupSettings.HOST).orElseGet(StaleLocks::hostName)));
    List<String> tags = BackupSettings.tags(s);
    if (!tags.isEmpty()) {
      a.add("--tag");
      a.add(String.join(",", tags));
    }
    if (prune) {
      a.add("--prune");
    }
    return a;
  }
}
