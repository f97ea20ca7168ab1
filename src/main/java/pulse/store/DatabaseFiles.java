package pulse.store;

import pulse.api.store.StoreException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded database's files, and what a start does with them before H2 opens them.
 *
 * <ul>
 *   <li><b>Killed migrations are undone.</b> H2 commits every DDL statement by itself, so a start
 *       killed while migrating leaves half a schema. Before a start applies migrations it copies
 *       the file to {@value #SNAPSHOT} (synced, then renamed: the copy is whole or absent); a first
 *       start writes the mark {@value #CREATING} instead. The next start finds either, puts the copy
 *       back (or deletes the half-made file), and migrates again from a clean state.
 *   <li><b>An empty or cut file is refused</b>, never silently replaced by an empty database: H2
 *       would create a fresh one from a zero-length file, losing history, queue and alerts without
 *       a word. The refusal names the newest backup and the command that restores it.
 * </ul>
 */
final class DatabaseFiles {
  private static final Logger log = LoggerFactory.getLogger(DatabaseFiles.class);
  static final String SNAPSHOT = Database.FILE_NAME + ".pre-migration.mv.db";
  static final String CREATING = Database.FILE_NAME + ".creating";
  /** H2's MVStore writes in blocks of this size; a whole file is a multiple of it. */
  static final int BLOCK = 4096;
  /** Where {@code db-backup} writes by default, and its file names. */
  static final String BACKUPS = "backups";
  static final Pattern BACKUP_NAME = Pattern.compile(Database.FILE_NAME + "-\\d{8}-\\d{6}\\.zip");
  private static final Pattern HEADER_BLOCK = Pattern.compile("(?:^|,)block:([0-9a-f]+)");

  private final Path dir;
  private final List<Path> backupDirs;
  private boolean creating;

  private DatabaseFiles(Path dir, List<Path> backupDirs) {
    this.dir = dir;
    this.backupDirs = backupDirs;
  }

  /** Readies the state directory for H2: undoes an interrupted migration, refuses a broken file. */
  static DatabaseFiles prepare(Path stateDir, Optional<Path> backupDir) {
    List<Path> backups = backupDir.isPresent() && !backupDir.get().equals(stateDir.resolve(BACKUPS))
        ? List.of(backupDir.get(), stateDir.resolve(BACKUPS)) : List.of(stateDir.resolve(BACKUPS));
    DatabaseFiles f = new DatabaseFiles(stateDir, backups);
    try {
      f.createDirectory();
      Files.deleteIfExists(f.snapshotTmp());
      if (Files.exists(f.path(SNAPSHOT))) {
        log.warn("An earlier start was stopped while it migrated {}; putting back the copy taken before ({})", f.file(), SNAPSHOT);
        Files.move(f.path(SNAPSHOT), f.file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        f.syncDirectory();
      }
      if (Files.exists(f.path(CREATING))) {
        log.warn("An earlier first start was stopped before {} was complete; creating it again", f.file());
        Files.deleteIfExists(f.file());
        f.creating = true;
      } else if (!Files.exists(f.file())) {
        Files.write(f.path(CREATING), new byte[0], StandardOpenOption.CREATE, StandardOpenOption.SYNC);
        f.syncDirectory();
        f.creating = true;
      } else {
        f.checkWhole();
      }
    } catch (IOException e) {
      throw new StoreException("cannot prepare the state directory " + stateDir + " (" + e + "); set PULSE_STATE_DIR to a writable directory", e);
    }
    return f;
  }

  /** {@code <dir>/pulse}: what H2's URL names. */
  Path base() {
    return dir.resolve(Database.FILE_NAME);
  }

  Path file() {
    return dir.resolve(Database.FILE_NAME + ".mv.db");
  }

  boolean creating() {
    return creating;
  }

  /** The schema is complete: a first start's mark goes. */
  void created() {
    if (!creating) {
      return;
    }
    try {
      Files.deleteIfExists(path(CREATING));
      syncDirectory();
      creating = false;
    } catch (IOException e) {
      throw new StoreException("cannot remove " + path(CREATING) + " (" + e + ")", e);
    }
  }

  /** Copies the closed database file aside, whole or not at all. */
  void snapshot() {
    try {
      Files.copy(file(), snapshotTmp(), StandardCopyOption.REPLACE_EXISTING);
      try (FileChannel ch = FileChannel.open(snapshotTmp(), StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Files.move(snapshotTmp(), path(SNAPSHOT), StandardCopyOption.ATOMIC_MOVE);
      syncDirectory();
    } catch (IOException e) {
      throw new StoreException("cannot copy " + file() + " before migrating it (" + e + "); free space in " + dir, e);
    }
  }

  /** Puts the copy taken before migrating back over the (closed) database file. */
  void restoreSnapshot() {
    try {
      Files.move(path(SNAPSHOT), file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      syncDirectory();
    } catch (IOException e) {
      throw new StoreException("cannot put " + path(SNAPSHOT) + " back over " + file() + " (" + e + "); do it by hand", e);
    }
  }

  void dropSnapshot() {
    try {
      Files.deleteIfExists(path(SNAPSHOT));
      syncDirectory();
    } catch (IOException e) {
      throw new StoreException("cannot remove " + path(SNAPSHOT) + " (" + e + ")", e);
    }
  }

  /** What a person must do about {@code problem}: which backup to restore, and how. */
  String advice(String problem) {
    Optional<Path> newest = newestBackup();
    String fix = newest
        .map(b -> "restore the newest backup with `pulse db restore " + b + "` while the daemon is stopped")
        .orElse("no backup found in " + backupDirs.stream().map(Path::toString).reduce((a, b) -> a + " or " + b).orElse(""));
    return "the database " + file() + " " + problem + "; " + fix
        + ", or move the file away to start with an empty database (run history, prompt queue and alerts are then gone)";
  }

  StoreException unrepairable(String problem) {
    return unrepairable(problem, null);
  }

  StoreException unrepairable(String problem, Throwable cause) {
    return StoreException.forOperator(advice(problem), cause);
  }

  Optional<Path> newestBackup() {
    return backupDirs.stream().flatMap(DatabaseFiles::backupsIn).max(Comparator.comparing(p -> p.getFileName().toString()));
  }

  private static Stream<Path> backupsIn(Path d) {
    try (Stream<Path> s = Files.list(d)) {
      return s.filter(p -> BACKUP_NAME.matcher(p.getFileName().toString()).matches()).toList().stream();
    } catch (IOException e) {
      return Stream.empty();
    }
  }

  /** An MVStore file is whole blocks, and its header's newest chunk lies inside it. */
  private void checkWhole() throws IOException {
    long size = Files.size(file());
    if (size == 0) {
      throw unrepairable("is empty (0 bytes: a crash of the file system or a mistake)");
    }
    if (size % BLOCK != 0 || size < 2L * BLOCK) {
      throw unrepairable("is cut short (" + size + " bytes, not whole " + BLOCK + "-byte blocks)");
    }
    ByteBuffer head = ByteBuffer.allocate(BLOCK);
    try (FileChannel ch = FileChannel.open(file(), StandardOpenOption.READ)) {
      while (head.hasRemaining() && ch.read(head) > 0) {
        // read the first block
      }
    }
    String header = new String(head.array(), 0, head.position(), StandardCharsets.ISO_8859_1);
    if (!header.startsWith("H:2")) {
      throw unrepairable("is not an H2 database file (its header is damaged)");
    }
    Matcher m = HEADER_BLOCK.matcher(header.lines().findFirst().orElse(""));
    if (m.find() && Long.parseLong(m.group(1), 16) * BLOCK >= size) {
      throw unrepairable("is cut short (" + size + " bytes; its newest chunk lay beyond that)");
    }
  }

  private void createDirectory() throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
      try {
        // state holds prompts, outputs and alerts: only the service user reads it
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system
      }
    }
  }

  private Path snapshotTmp() {
    return dir.resolve(SNAPSHOT + ".tmp");
  }

  private Path path(String name) {
    return dir.resolve(name);
  }

  /** Makes renames and deletions in the directory durable. */
  private void syncDirectory() throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (NoSuchFileException e) {
      throw e;
    } catch (IOException e) {
      // some file systems refuse fsync on a directory; the rename itself still happened
    }
  }
}
