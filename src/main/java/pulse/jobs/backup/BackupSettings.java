package pulse.jobs.backup;

import static pulse.api.Setting.Kind.DURATION;
import static pulse.api.Setting.Kind.INTEGER;
import static pulse.api.Setting.Kind.LIST;
import static pulse.api.Setting.Kind.PATH;
import static pulse.api.Setting.Kind.SCHEDULE;
import static pulse.api.Setting.Kind.STRING;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import pulse.api.Durations;
import pulse.api.Setting;
import pulse.api.Settings;

/** The backup family's settings: keys, defaults, and the values a run reads. */
final class BackupSettings {
  static final String RESTIC_REPOSITORY = "RESTIC_REPOSITORY";
  static final String REPOSITORY = "PULSE_BACKUP_REPOSITORY";
  static final String RESTIC_PASSWORD = "RESTIC_PASSWORD";
  static final String RESTIC_PASSWORD_FILE = "RESTIC_PASSWORD_FILE";
  static final String PATHS = "PULSE_BACKUP_PATHS";
  static final String EXCLUDE_FILE = "PULSE_BACKUP_EXCLUDE_FILE";
  static final String TAGS = "PULSE_BACKUP_TAGS";
  static final String HOST = "PULSE_BACKUP_HOST";
  static final String KEEP_HOURLY = "PULSE_BACKUP_KEEP_HOURLY";
  static final String KEEP_DAILY = "PULSE_BACKUP_KEEP_DAILY";
  static final String KEEP_WEEKLY = "PULSE_BACKUP_KEEP_WEEKLY";
  static final String KEEP_MONTHLY = "PULSE_BACKUP_KEEP_MONTHLY";
  static final String PRUNE_SCHEDULE = "PULSE_BACKUP_PRUNE_SCHEDULE";
  static final String CHECK_READ_DATA_SUBSET = "PULSE_BACKUP_CHECK_READ_DATA_SUBSET";
  static final String STALE_LOCK_AFTER = "PULSE_BACKUP_STALE_LOCK_AFTER";
  static final String RESTIC_BINARY = "PULSE_BACKUP_RESTIC";
  static final String LIMIT_UPLOAD = "PULSE_BACKUP_LIMIT_UPLOAD";

  static final String DEFAULT_TAGS = "pulse";
  static final int DEFAULT_KEEP_HOURLY = 24;
  static final int DEFAULT_KEEP_DAILY = 7;
  static final int DEFAULT_KEEP_WEEKLY = 4;
  static final int DEFAULT_KEEP_MONTHLY = 6;
  /** restic's own rule: `restic unlock` removes another host's lock only once it is 30 minutes old. */
  static final Duration RESTIC_STALE_AGE = Duration.ofMinutes(30);
  static final String DEFAULT_STALE_LOCK_AFTER = "30m";
  static final String DEFAULT_RESTIC_BINARY = "restic";
  /** Skipped in every backup: rebuildable, large, and churning on every commit or install. */
  static final List<String> DEFAULT_EXCLUDES = List.of(".git/objects", "node_modules", "__pycache__", ".venv");

  /** restic's --read-data-subset forms: n/t, a percentage, or a size such as 500M. */
  private static final Pattern SUBSET = Pattern.compile("\\d+/\\d+|\\d+(\\.\\d+)?%|\\d+[KMGT]?");

  static final Setting REPOSITORY_SETTING =
      Setting.string(RESTIC_REPOSITORY, null, "restic repository (such as /srv/backup or s3:...); enables the backup jobs");
  static final List<Setting> COMMON = List.of(
      REPOSITORY_SETTING,
      Setting.string(REPOSITORY, null, "repository for Pulse's backups; wins over RESTIC_REPOSITORY"),
      Setting.string(RESTIC_PASSWORD, null, "repository password (or use RESTIC_PASSWORD_FILE)").asSecret(),
      Setting.of(RESTIC_PASSWORD_FILE, PATH, null, "file holding the repository password"),
      Setting.string(RESTIC_BINARY, DEFAULT_RESTIC_BINARY, "the restic executable (name on PATH or a path)"),
      Setting.of(STALE_LOCK_AFTER, DURATION, DEFAULT_STALE_LOCK_AFTER,
          "a repository lock older than this is stale and removed with `restic unlock` (at least 30m)"),
      Setting.of(TAGS, LIST, DEFAULT_TAGS, "tags on each snapshot; forget only touches snapshots with these tags"),
      Setting.string(HOST, null, "host name recorded in snapshots and used by forget; default the machine's"));
  static final Setting PATHS_SETTING = Setting.of(PATHS, LIST, null, "comma-separated paths to back up");
  static final List<Setting> BACKUP = List.of(
      PATHS_SETTING,
      Setting.of(EXCLUDE_FILE, PATH, null, "file of exclude patterns (restic --exclude-file), beside the defaults"),
      Setting.of(LIMIT_UPLOAD, INTEGER, null, "upload limit in KiB/s (restic --limit-upload); default unlimited"),
      Setting.of(KEEP_HOURLY, INTEGER, String.valueOf(DEFAULT_KEEP_HOURLY), "hourly snapshots to keep"),
      Setting.of(KEEP_DAILY, INTEGER, String.valueOf(DEFAULT_KEEP_DAILY), "daily snapshots to keep"),
      Setting.of(KEEP_WEEKLY, INTEGER, String.valueOf(DEFAULT_KEEP_WEEKLY), "weekly snapshots to keep"),
      Setting.of(KEEP_MONTHLY, INTEGER, String.valueOf(DEFAULT_KEEP_MONTHLY), "monthly snapshots to keep"),
      Setting.of(PRUNE_SCHEDULE, SCHEDULE, null,
          "run prune as its own job, backup-prune, on this schedule instead of after each backup"));
  static final List<Setting> CHECK = List.of(
      Setting.string(CHECK_READ_DATA_SUBSET, null, "backup-check also reads this part of the data (such as 5% or 1/10)"));

  private BackupSettings() {}

  static List<Setting> all() {
    List<Setting> out = new ArrayList<>(COMMON);
    out.addAll(BACKUP);
    out.addAll(CHECK);
    return List.copyOf(out);
  }

  static List<Setting> plus(List<Setting> more) {
    List<Setting> out = new ArrayList<>(COMMON);
    out.addAll(more);
    return List.copyOf(out);
  }

  /** The repository Pulse uses: its own key first. */
  static Optional<String> repository(Settings s) {
    return s.get(REPOSITORY).or(() -> s.get(RESTIC_REPOSITORY));
  }

  /** Why the jobs cannot run: no repository or no password. Empty when they can. */
  static Optional<String> unavailable(Settings s) {
    List<String> missing = new ArrayList<>();
    if (repository(s).isEmpty()) {
      missing.add(RESTIC_REPOSITORY + " or " + REPOSITORY);
    }
    if (s.get(RESTIC_PASSWORD).isEmpty() && s.get(RESTIC_PASSWORD_FILE).isEmpty()) {
      missing.add(RESTIC_PASSWORD + " or " + RESTIC_PASSWORD_FILE);
    }
    return missing.isEmpty() ? Optional.empty() : Optional.of("needs " + String.join(" and ", missing));
  }

  static Duration staleLockAfter(Settings s) {
    return s.duration(STALE_LOCK_AFTER).orElse(RESTIC_STALE_AGE);
  }

  static List<String> tags(Settings s) {
    return s.list(TAGS);
  }

  static Optional<Path> excludeFile(Settings s) {
    return s.path(EXCLUDE_FILE);
  }

  /** Problems beyond each value's kind, one line each: key, value, fix. */
  static List<String> validate(Settings s) {
    List<String> out = new ArrayList<>();
    for (String key : List.of(KEEP_HOURLY, KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY, LIMIT_UPLOAD)) {
      s.get(key).ifPresent(v -> {
        try {
          if (Long.parseLong(v.trim()) < 0) {
            out.add(key + "='" + v + "': negative; write 0 or more");
          }
        } catch (NumberFormatException e) {
          // reported by the core's check of the INTEGER kind
        }
      });
    }
    s.get(STALE_LOCK_AFTER).ifPresent(v -> {
      try {
        if (Durations.parse(v).compareTo(RESTIC_STALE_AGE) < 0) {
          out.add(STALE_LOCK_AFTER + "='" + v + "': shorter than 30m; `restic unlock` keeps another host's lock"
              + " until it is 30 minutes old, so write 30m or more");
        }
      } catch (IllegalArgumentException e) {
        // reported by the core's check of the DURATION kind
      }
    });
    s.get(CHECK_READ_DATA_SUBSET).ifPresent(v -> {
      if (!SUBSET.matcher(v.trim()).matches()) {
        out.add(CHECK_READ_DATA_SUBSET + "='" + v + "': not a subset restic understands; write n/t (such as 1/10),"
            + " a percentage (such as 5%) or a size (such as 500M)");
      }
    });
    return out;
  }
}
