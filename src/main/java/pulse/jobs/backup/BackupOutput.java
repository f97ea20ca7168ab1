package pulse.jobs.backup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code restic backup --json} printed, collected line by line as it arrives: the summary, and
 * the files restic could not read (each an {@code "error"} message; exit code 3 says the same).
 */
final class BackupOutput {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final int MAX_ERRORS_KEPT = 20;

  /** restic's summary line; {@code snapshotId} is the short id in 0.14. */
  record Summary(long filesNew, long filesChanged, long filesUnmodified, long dataAdded, long totalBytesProcessed,
      double totalDurationSeconds, String snapshotId) {}

  private volatile Summary summary;
  private final List<String> unreadable = new ArrayList<>();
  private int unreadableCount;

  /** Takes one stdout line; non-JSON lines (there should be none) are ignored. */
  synchronized void accept(String line) {
    if (!line.startsWith("{")) {
      return;
    }
    JsonNode n;
    try {
      n = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      return;
    }
    switch (n.path("message_type").asText()) {
      case "summary" -> summary = new Summary(n.path("files_new").asLong(), n.path("files_changed").asLong(),
          n.path("files_unmodified").asLong(), n.path("data_added").asLong(), n.path("total_bytes_processed").asLong(),
          n.path("total_duration").asDouble(), n.path("snapshot_id").asText("?"));
      case "error" -> {
        unreadableCount++;
        if (unreadable.size() < MAX_ERRORS_KEPT) {
          String item = n.path("item").asText(n.path("error").path("Path").asText("?"));
          unreadable.add(item);
        }
      }
      default -> {
        // status lines: progress only
      }
    }
  }

  Optional<Summary> summary() {
    return Optional.ofNullable(summary);
  }

  synchronized int unreadableCount() {
    return unreadableCount;
  }

  synchronized List<String> unreadable() {
    return List.copyOf(unreadable);
  }

  /**
   * The kept and removed counts of {@code restic forget --json}: only its first stdout line is JSON
   * (an array of groups); with --prune a plain-text report follows.
   */
  record ForgetResult(int kept, int removed) {
    static ForgetResult parse(List<String> stdout) {
      for (String line : stdout) {
        String t = line.strip();
        if (t.isEmpty()) {
          continue;
        }
        if (!t.startsWith("[")) {
          break;
        }
        try {
          int kept = 0;
          int removed = 0;
          for (JsonNode group : JSON.readTree(t)) {
            kept += group.path("keep").size();
            removed += group.path("remove").size();
          }
          return new ForgetResult(kept, removed);
        } catch (JsonProcessingException e) {
          break;
        }
      }
      return new ForgetResult(0, 0); // nothing matched the tags and host: nothing to keep or remove
    }
  }
}
