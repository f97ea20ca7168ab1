package pulse.jobs.prompt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Stream;
import pulse.api.Job;
import pulse.api.JobContext;
import pulse.api.JobFailedException;
import pulse.api.Setting;

/**
 * {@code db-backup}: a daily consistent online backup of Pulse's own H2 database with H2's {@code
 * BACKUP TO} (a zip of the store taken from one consistent snapshot while Pulse keeps writing),
 * written under a temporary name and renamed when complete; backups older than
 * PULSE_DB_BACKUP_KEEP (30 days) are deleted. {@code pulse db restore} puts one back.
 */
final class DbBackupJob implements Job {
  static final String ID = "db-backup";
  static final String PREFIX = "pulse-";
  static final String SUFFIX = ".zip";
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final PromptExtension extension;

  DbBackupJob(PromptExtension extension) {
    this.extension = extension;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String defaultSchedule() {
    return "30 3 * * *";
  }

  @Override
  public String description() {
    return "daily compressed online backup of Pulse's database, kept 30 days";
  }

  @Override
  public Duration defaultTimeout() {
    return Duration.ofMinutes(30);
  }

  @Override
  public List<Setting> settings() {
    return PromptSettings.ALL.stream()
        .filter(s -> s.key().equals(PromptSettings.BACKUP_DIR) || s.key().equals(PromptSettings.BACKUP_KEEP)).toList();
  }

  @Override
  public void run(JobContext ctx) throws IOException, SQLException {
    Path dir = ctx.settings().path(PromptSettings.BACKUP_DIR).orElseGet(() -> extension.stateDir().resolve("backups"));
    Duration keep = ctx.settings().duration(PromptSettings.BACKUP_KEEP).orElse(Duration.ofDays(30));
    Files.createDirectories(dir);
    Instant now = ctx.clock().instant();
    Path target = dir.resolve(PREFIX + STAMP.format(now) + SUFFIX);
    Path partial = dir.resolve(".partial-" + target.getFileName());
    try (Connection c = extension.dataSource().getConnection(); Statement st = c.createStatement()) {
      String product = c.getMetaData().getDatabaseProductName();
      if (!"H2".equalsIgnoreCase(product)) {
        throw new JobFailedException("db-backup backs up the embedded H2 database only; this one is " + product
            + " (back it up with its own tools, such as pg_dump); set PULSE_JOB_DB_BACKUP_ENABLED=false");
      }
      Files.deleteIfExists(partial);
      st.execute("BACKUP TO '" + partial.toAbsolutePath().toString().replace("'", "''") + "'");
    }
    // synced before it gets its name: a backup that is listed is whole, even after a power cut
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(partial, java.nio.file.StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
    long bytes = Files.size(target);
    int deleted = deleteOlderThan(dir, now.minus(keep), target);
    ctx.summary("file", target.toString());
    ctx.summary("bytes", bytes);
    ctx.summary("deleted", deleted);
    ctx.output("backup " + target + " (" + bytes + " bytes); deleted " + deleted + " older than " + pulse.api.Durations.format(keep));
  }

  /** Deletes this job's backups last modified before {@code cutoff}, never {@code keep}. */
  static int deleteOlderThan(Path dir, Instant cutoff, Path keep) throws IOException {
    int n = 0;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.toList()) {
        String name = p.getFileName().toString();
        if (!p.equals(keep) && name.startsWith(PREFIX) && name.endsWith(SUFFIX)
            && Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) {
          Files.delete(p);
          n++;
        }
      }
    }
    return n;
  }
}
