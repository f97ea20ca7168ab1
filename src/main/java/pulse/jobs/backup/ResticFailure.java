package pulse.jobs.backup;

import java.util.List;
import java.util.Locale;

/**
 * What went wrong in a restic call, read from its exit code and error text (restic 0.14 exits 1 for
 * nearly everything), with a message that says what to do.
 */
enum ResticFailure {
  WRONG_PASSWORD,
  PASSWORD_MISSING,
  UNREACHABLE,
  NO_REPOSITORY,
  LOCKED,
  NO_SOURCE,
  DAMAGED,
  CANNOT_START,
  OTHER;

  private static final List<String> NETWORK = List.of(
      "connection refused", "no such host", "dial tcp", "i/o timeout", "network is unreachable",
      "tls handshake timeout", "connection reset", "no route to host", "ssh command exited");

  static ResticFailure classify(String stderr) {
    String s = stderr.toLowerCase(Locale.ROOT);
    if (s.contains("wrong password or no key found")) {
      return WRONG_PASSWORD;
    }
    if (s.contains("resolving password failed") || s.contains("an empty password is not a password")) {
      return PASSWORD_MISSING;
    }
    // before NO_REPOSITORY: an unreachable backend also says "unable to open config file"
    if (NETWORK.stream().anyMatch(s::contains)) {
      return UNREACHABLE;
    }
    if (s.contains("unable to open config file") || s.contains("is there a repository at the following location")) {
      return NO_REPOSITORY;
    }
    if (s.contains("repository is already locked")) {
      return LOCKED;
    }
    if (s.contains("all target directories/files do not exist")) {
      return NO_SOURCE;
    }
    if (s.contains("repository contains errors")) {
      return DAMAGED;
    }
    return OTHER;
  }

  /**
   * One message for the run's error: what failed and what to do. {@code detail} is restic's last
   * error line, which never holds the password (restic prints none).
   */
  String message(String command, String repository, String detail) {
    String d = detail == null || detail.isBlank() ? "" : " (restic: " + detail.strip() + ")";
    return switch (this) {
      case WRONG_PASSWORD -> "restic " + command + ": wrong password for repository " + repository
          + "; check RESTIC_PASSWORD or the file in RESTIC_PASSWORD_FILE" + d;
      case PASSWORD_MISSING -> "restic " + command + ": no usable password; set RESTIC_PASSWORD, or make the file in"
          + " RESTIC_PASSWORD_FILE exist and be readable by Pulse's user" + d;
      case UNREACHABLE -> "restic " + command + ": the backend of repository " + repository + " is unreachable; check"
          + " the network, the server and the credentials (AWS_*/B2_*/...), then run 'pulse backup snapshots'" + d;
      case NO_REPOSITORY -> "restic " + command + ": no repository at " + repository + "; check RESTIC_REPOSITORY"
          + " (or PULSE_BACKUP_REPOSITORY), or create it with 'pulse backup init'" + d;
      case LOCKED -> "restic " + command + ": repository " + repository + " is locked by another restic that is"
          + " still alive; wait for it, or if it is gone run 'restic unlock' on its host" + d;
      case NO_SOURCE -> "restic " + command + ": none of the paths in PULSE_BACKUP_PATHS exists; fix"
          + " PULSE_BACKUP_PATHS or mount the source" + d;
      case DAMAGED -> "restic " + command + ": repository " + repository + " has errors; run 'restic check' by hand"
          + " and follow its advice (often 'restic repair index'/'rebuild-index'), and hold off prune until it is clean" + d;
      case CANNOT_START -> "cannot run restic" + d + "; install it (apt-get install restic) or set PULSE_BACKUP_RESTIC";
      case OTHER -> "restic " + command + " failed" + d;
    };
  }

  /** The last line restic wrote that reads like an error, for the message. */
  static String lastErrorLine(List<String> stderr) {
    for (int i = stderr.size() - 1; i >= 0; i--) {
      String line = stderr.get(i).strip();
      if (line.startsWith("Fatal:") || line.contains("error") || line.contains("failed") || line.contains("locked")) {
        return line;
      }
    }
    for (int i = stderr.size() - 1; i >= 0; i--) {
      if (!stderr.get(i).isBlank()) {
        return stderr.get(i).strip();
      }
    }
    return "";
  }
}
