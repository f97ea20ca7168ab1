package pulse.jobs.backup;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import pulse.api.RunEvent;

/**
 * The status page's "Backups" section: the last snapshot this daemon made and each backup job's last
 * outcome. In memory (the run history keeps the rest); after a restart it shows the last successes.
 */
final class BackupStatus {
  /** The newest snapshot and what forget did after it. */
  record Snapshot(Instant at, BackupOutput.Summary summary, BackupOutput.ForgetResult forget) {}

  private volatile Snapshot last;
  private final Map<String, RunEvent> lastRuns = new ConcurrentHashMap<>();

  void snapshot(Snapshot s) {
    last = s;
  }

  void runFinished(RunEvent e) {
    lastRuns.put(e.jobId(), e);
  }

  String html(Optional<String> unavailable, Map<String, Instant> lastSuccess) {
    if (unavailable.isPresent()) {
      return "<p>Backups are off: " + esc(unavailable.get()) + ".</p>";
    }
    StringBuilder b = new StringBuilder();
    Snapshot s = last;
    if (s != null) {
      BackupOutput.Summary m = s.summary();
      b.append("<p>Last snapshot <code>").append(esc(m.snapshotId())).append("</code> at ").append(s.at())
          .append(": ").append(m.filesNew()).append(" new, ").append(m.filesChanged()).append(" changed files, ")
          .append(m.dataAdded()).append(" bytes added in ").append(String.format("%.1f", m.totalDurationSeconds()))
          .append(" s; ").append(s.forget().kept()).append(" snapshots kept, ").append(s.forget().removed())
          .append(" removed.</p>");
    }
    b.append("<table><tr><th>job</th><th>last outcome</th><th>last success</th></tr>");
    for (String id : List.of(BackupJob.ID, CheckJob.ID, PruneJob.ID)) {
      RunEvent e = lastRuns.get(id);
      b.append("<tr><td>").append(id).append("</td><td>")
          .append(e == null ? "no run since start" : esc(e.outcome()) + (e.errorMessage() == null ? "" : ": " + esc(e.errorMessage())))
          .append("</td><td>").append(lastSuccess.containsKey(id) ? lastSuccess.get(id).toString() : "never")
          .append("</td></tr>");
    }
    return b.append("</table>").toString();
  }

  static String esc(String s) {
    return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
