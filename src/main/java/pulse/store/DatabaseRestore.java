package pulse.store;

import pulse.api.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * {@code pulse db restore}: puts a {@code db-backup} zip back as the database, with the daemon
 * stopped. The backup is unpacked beside the database, synced and opened once to prove it is a
 * whole H2 database before anything is replaced; the file it replaces is kept, renamed.
 */
public final class DatabaseRestore {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
  private static final String ENTRY = Database.FILE_NAME + ".mv.db";

  /** What a restore did, for the command to print. */
  public record Restored(Path file, long runs, Path previous) {}

  private DatabaseRestore() {}

  public static Restored restore(Path stateDir, Path backup, Instant now) {
    if (!Files.isRegularFile(backup)) {
      throw new StoreException("no backup file " + backup + "; `ls " + stateDir.resolve(DatabaseFiles.BACKUPS) + "` lists them", null);
    }
    Path file = stateDir.resolve(ENTRY);
    refuseIfInUse(file);
    Path unpacked = stateDir.resolve(Database.FILE_NAME + "-restore.mv.db");
    try {
      Files.createDirectories(stateDir);
      unpack(backup, unpacked);
      long runs = check(unpacked, backup);
      Path previous = null;
      if (Files.exists(file)) {
        previous = stateDir.resolve(ENTRY + ".before-restore-" + STAMP.format(now));
        Files.move(file, previous, StandardCopyOption.ATOMIC_MOVE);
      }
      Files.move(unpacked, file, StandardCopyOption.ATOMIC_MOVE);
      Files.deleteIfExists(stateDir.resolve(DatabaseFiles.SNAPSHOT));
      Files.deleteIfExists(stateDir.resolve(DatabaseFiles.CREATING));
      try (FileChannel d = FileChannel.open(stateDir, StandardOpenOption.READ)) {
        d.force(true);
      }
      return new Restored(file, runs, previous);
    } catch (IOException e) {
      throw new StoreException("cannot restore " + backup + " into " + stateDir + " (" + e + ")", e);
    } finally {
      try {
        Files.deleteIfExists(unpacked);
      } catch (IOException ignored) {
        // best effort: the next restore overwrites it
      }
    }
  }

  private static void refuseIfInUse(Path file) {
    if (!Files.exists(file)) {
      return;
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      FileLock lock = ch.tryLock();
      if (lock == null) {
        throw inUse(file);
      }
      lock.release();
    } catch (OverlappingFileLockException e) {
      throw inUse(file);
    } catch (IOException e) {
      throw new StoreException("cannot open " + file + " (" + e + ")", e);
    }
  }

  private static StoreException inUse(Path file) {
    return new StoreException(file + " is in use by a running Pulse: stop it first (systemctl stop pulse), then restore", null);
  }

  private static void unpack(Path backup, Path to) throws IOException {
    try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(backup))) {
      for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
        if (e.getName().equals(ENTRY)) {
          copy(zip, to);
          return;
        }
      }
    } catch (java.util.zip.ZipException e) {
      throw new StoreException(backup + " is not a Pulse database backup (not a whole zip: " + e.getMessage() + ")", e);
    }
    throw new StoreException(backup + " is not a Pulse database backup (it holds no " + ENTRY + ")", null);
  }

  private static void copy(InputStream in, Path to) throws IOException {
    Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
    try (FileChannel ch = FileChannel.open(to, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
  }

  /** Opens the unpacked file once: it must be a database with Pulse's run history. */
  private static long check(Path unpacked, Path backup) {
    String base = unpacked.toString().substring(0, unpacked.toString().length() - ".mv.db".length());
    try (Connection c = DriverManager.getConnection("jdbc:h2:" + base + ";IFEXISTS=TRUE", "pulse", "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM pulse_runs")) {
      rs.next();
      long runs = rs.getLong(1);
      s.execute("SHUTDOWN");
      return runs;
    } catch (SQLException e) {
      throw new StoreException(backup + " does not hold a usable Pulse database (" + StoreException.firstLine(e) + ")", e);
    }
  }
}
