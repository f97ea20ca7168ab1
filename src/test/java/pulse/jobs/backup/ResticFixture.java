package pulse.jobs.backup;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import pulse.jobs.shared.Subprocess;

/**
 * A real restic against real local repositories. {@code restic init} costs ~4 s of scrypt, so one
 * repository is initialised per JVM and each test gets a copy (a local repository is plain files).
 */
final class ResticFixture {
  /** Random per JVM: a test that finds it in a log or span found a leak, not a coincidence. */
  static final String PASSWORD = "pw-" + UUID.randomUUID();
  /**
   * restic 0.14 writes its lock file before it registers the lock for removal on SIGINT: a SIGINT in
   * those first milliseconds leaves the lock (tried: 2 of 3 times at 0 s, 0 of 3 at 1 s). Tests that
   * stop restic on purpose wait this long after the lock appears; a lock left in that window is
   * stale (dead PID on this host) and the next run removes it.
   */
  static final Duration LOCK_SETTLE = Duration.ofSeconds(1);
  private static Path template;

  private ResticFixture() {}

  /** Skips the test, saying why, when restic is not installed. */
  static void assumeRestic() {
    boolean found = pulse.jobs.shared.Executables.find("restic").isPresent();
    if (!found) {
      System.out.println("SKIPPED: restic is not installed (apt-get install restic); backup tests need the real one");
    }
    assumeTrue(found, "restic is not installed (apt-get install restic)");
  }

  /** A fresh, initialised repository at {@code dir/repo}. */
  static synchronized Path newRepo(Path dir) throws IOException {
    if (template == null) {
      Path t = Files.createTempDirectory("pulse-restic-template").resolve("repo");
      Subprocess.Result r = Subprocess.of("restic", "init", "-q").env(Map.of("RESTIC_REPOSITORY", t.toString(),
          "RESTIC_PASSWORD", PASSWORD)).timeout(Duration.ofMinutes(2)).run();
      if (!r.ok()) {
        throw new IllegalStateException("restic init failed: " + r.stderrText());
      }
      template = t;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(t.getParent())));
    }
    Path repo = dir.resolve("repo");
    copyTree(template, repo);
    return repo;
  }

  /** restic with this repository and the test password, run to its end. */
  static Subprocess.Result restic(Path repo, String... args) throws IOException {
    return Subprocess.of(command(args)).env(env(repo)).timeout(Duration.ofMinutes(2)).tailLines(100_000).run();
  }

  static List<String> command(String... args) {
    List<String> argv = new ArrayList<>(List.of("restic"));
    argv.addAll(List.of(args));
    return argv;
  }

  static Map<String, String> env(Path repo) {
    return Map.of("RESTIC_REPOSITORY", repo.toString(), "RESTIC_PASSWORD", PASSWORD);
  }

  static List<String> locks(Path repo) throws IOException {
    Subprocess.Result r = restic(repo, "list", "locks", "--no-lock");
    if (!r.ok()) {
      throw new IllegalStateException("restic list locks failed: " + r.stderrText());
    }
    return r.stdoutTail().stream().filter(l -> !l.isBlank()).toList();
  }

  /** Random bytes (which neither compress nor deduplicate). */
  static void randomFile(Path file, int bytes) throws IOException {
    byte[] b = new byte[bytes];
    new java.util.Random(42).nextBytes(b);
    Files.createDirectories(file.getParent());
    Files.write(file, b);
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          p.toFile().setWritable(true);
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      // a temp dir: best effort
    }
  }
}
