package pulse.jobs.backup;

import pulse.jobs.shared.Executables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import pulse.api.Settings;
import pulse.jobs.shared.Subprocess;

/** What {@code pulse check} verifies for the backup jobs, without changing anything. */
final class Preflight {
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(30);

  private Preflight() {}

  /** The binary, the password file, and the repository (opened read-only with the password). */
  static List<String> repository(Settings s) {
    List<String> out = new ArrayList<>();
    Restic restic = new Restic(s);
    if (Executables.find(restic.binary()).isEmpty()) {
      out.add("restic binary '" + restic.binary() + "' not found; install it (apt-get install restic) or set "
          + BackupSettings.RESTIC_BINARY + " to its path");
      return out;
    }
    Optional<Path> pwFile = s.path(BackupSettings.RESTIC_PASSWORD_FILE);
    if (pwFile.isPresent() && !Files.isReadable(pwFile.get())) {
      out.add(BackupSettings.RESTIC_PASSWORD_FILE + "=" + pwFile.get() + " is not readable; create it (mode 600,"
          + " owned by Pulse's user) or fix its permissions");
      return out;
    }
    String repo = BackupSettings.repository(s).orElse("");
    try {
      Subprocess.Result r = restic.command("cat", "config", "--no-lock").timeout(PROBE_TIMEOUT).run();
      if (!r.ok()) {
        out.add(ResticFailure.classify(r.stderrText()).message("cat config", repo, ResticFailure.lastErrorLine(r.stderrTail())));
      }
    } catch (IOException e) {
      out.add(ResticFailure.CANNOT_START.message("cat config", repo, e.getMessage()));
    }
    return out;
  }

  /** The backup's sources and exclude file. */
  static List<String> sources(Settings s) {
    List<String> out = new ArrayList<>();
    for (String p : s.list(BackupSettings.PATHS)) {
      if (!Files.exists(Path.of(p))) {
        out.add(BackupSettings.PATHS + " entry " + p + " does not exist; fix the path or mount the source");
      }
    }
    BackupSettings.excludeFile(s).filter(f -> !Files.isReadable(f)).ifPresent(f ->
        out.add(BackupSettings.EXCLUDE_FILE + "=" + f + " is not readable; create it or unset the setting"));
    return out;
  }
}
