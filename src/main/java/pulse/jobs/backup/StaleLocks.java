package pulse.jobs.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import pulse.api.Durations;
import pulse.jobs.shared.Subprocess;

/**
 * Decides whether the locks in a repository are stale, and removes the stale ones with {@code restic
 * unlock} (never {@code --remove-all}, which would break a live backup on another machine).
 *
 * <p>A lock is stale when its owner is a process on this host that no longer exists (a backup
 * killed with SIGKILL, a host that rebooted), or when it is older than the threshold: restic
 * refreshes a live lock every 5 minutes, so an old one has no owner.
 */
final class StaleLocks {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration CALL_TIMEOUT = Duration.ofMinutes(2);

  /** One lock file, as {@code restic cat lock} shows it. */
  record Lock(String id, String hostname, long pid, Instant time, boolean exclusive) {
    String describe(Clock clock) {
      String age = time == null ? "unknown age" : Durations.format(Duration.between(time, clock.instant()).withNanos(0)) + " old";
      return (exclusive ? "exclusive" : "shared") + " lock " + id.substring(0, Math.min(8, id.length())) + " of PID "
          + pid + " on " + hostname + " (" + age + ")";
    }
  }

  /** What was found: the stale locks (removed when {@code unlocked}) and the live ones. */
  record Report(List<Lock> stale, List<Lock> live, boolean unlocked) {}

  private final Restic restic;
  private final Duration staleAfter;
  private final Clock clock;
  private final String thisHost;
  private final BooleanSupplier cancelled;

  StaleLocks(Restic restic, Duration staleAfter, Clock clock, String thisHost, BooleanSupplier cancelled) {
    this.restic = restic;
    this.staleAfter = staleAfter;
    this.clock = clock;
    this.thisHost = thisHost;
    this.cancelled = cancelled;
  }

  /** Lists the locks, and runs {@code restic unlock} if any is stale. */
  Report inspectAndUnlock() throws IOException {
    List<Lock> stale = new ArrayList<>();
    List<Lock> live = new ArrayList<>();
    for (Lock lock : locks()) {
      (isStale(lock) ? stale : live).add(lock);
    }
    boolean unlocked = false;
    if (!stale.isEmpty()) {
      Subprocess.Result r = call("unlock");
      unlocked = r.ok();
    }
    return new Report(List.copyOf(stale), List.copyOf(live), unlocked);
  }

  boolean isStale(Lock lock) {
    if (lock.time() != null && Duration.between(lock.time(), clock.instant()).compareTo(staleAfter) > 0) {
      return true;
    }
    return lock.hostname().equals(thisHost) && ProcessHandle.of(lock.pid()).map(p -> !p.isAlive()).orElse(true);
  }

  List<Lock> locks() throws IOException {
    Subprocess.Result list = call("list", "locks", "--no-lock");
    List<Lock> out = new ArrayList<>();
    if (!list.ok()) {
      return out;
    }
    for (String id : list.stdoutTail()) {
      if (!id.strip().matches("[0-9a-f]{64}")) {
        continue;
      }
      Subprocess.Result cat = call("cat", "lock", id.strip(), "--no-lock");
      if (!cat.ok()) {
        continue; // removed meanwhile: its owner finished or refreshed it
      }
      JsonNode n = JSON.readTree(cat.stdoutText());
      Instant time = null;
      try {
        time = Instant.parse(n.path("time").asText());
      } catch (DateTimeParseException e) {
        // unknown age: judged by its host and PID alone
      }
      out.add(new Lock(id.strip(), n.path("hostname").asText(""), n.path("pid").asLong(), time, n.path("exclusive").asBoolean()));
    }
    return out;
  }

  private Subprocess.Result call(String... args) throws IOException {
    return restic.command(args).timeout(CALL_TIMEOUT).cancelledWhen(cancelled).tailLines(10_000).run();
  }

  /** The host name restic writes into its locks (Go's os.Hostname, the kernel's node name). */
  static String hostName() {
    try {
      return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
    } catch (IOException | RuntimeException e) {
      try {
        return InetAddress.getLocalHost().getHostName();
      } catch (IOException ex) {
        return "localhost";
      }
    }
  }
}
