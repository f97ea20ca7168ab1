package pulse.http;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pulse.api.Durations;
import pulse.api.Extension;
import pulse.api.StatusSection;
import pulse.core.Daemon;
import pulse.core.JobView;
import pulse.store.RunQuery;
import pulse.store.RunRecord;

/**
 * The page at {@code /}: extension sections marked top (open alerts), the jobs, the recent runs
 * with failures highlighted and trace links, then the other extension sections. Plain server-side
 * HTML with no script, so it works in any browser and behind any proxy.
 */
final class StatusPage {
  private static final Logger log = LoggerFactory.getLogger(StatusPage.class);
  static final int RECENT_RUNS = 50;
  private static final String STYLE = """
      body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
      h1{font-size:1.4em;margin:0 0 .2em}h2{font-size:1.1em;margin:1.5em 0 .4em}
      table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.25em .6em;border-bottom:1px solid #ddd;vertical-align:top}
      th{background:#f4f4f4}.failed td{background:#fde8e8}.failed .outcome{color:#a40000;font-weight:600}
      .disabled td{color:#888}.ok{color:#176b2c}.muted{color:#777}code{font-size:.95em}
      .unhealthy{color:#a40000;font-weight:600}.err{max-width:40em;overflow-wrap:anywhere}
      """;

  private final Daemon daemon;
  private final String version;
  private final Optional<String> traceTemplate;
  private final DateTimeFormatter time;

  StatusPage(Daemon daemon, String version) {
    this.daemon = daemon;
    this.version = version;
    this.traceTemplate = daemon.config().traceUrl();
    ZoneId zone = daemon.config().scheduler().timezone();
    this.time = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(zone);
  }

  String render() {
    Instant now = daemon.clock().instant();
    boolean healthy = daemon.healthy();
    StringBuilder h = new StringBuilder(16 * 1024);
    h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta http-equiv=\"refresh\" content=\"30\"><meta name=\"viewport\" content=\"width=device-width\">")
        .append("<title>Pulse</title><style>").append(STYLE).append("</style></head><body>");
    h.append("<h1>Pulse</h1><p id=\"summary\">version ").append(Html.escape(version))
        .append(" &middot; up ").append(Html.escape(Durations.format(Duration.ofSeconds(Duration.between(daemon.startedAt(), now).toSeconds()))))
        .append(" &middot; scheduler <span class=\"").append(healthy ? "ok" : "unhealthy").append("\">")
        .append(Html.escape(daemon.schedulerState())).append(healthy ? "" : " (unhealthy)").append("</span></p>");
    sections(h, true);
    jobs(h, daemon.jobs());
    runs(h, daemon.history().recent(RunQuery.latest(RECENT_RUNS)));
    sections(h, false);
    h.append("<p class=\"muted\">API: <a href=\"/api/jobs\">/api/jobs</a> &middot; <a href=\"/api/runs\">/api/runs</a> &middot; ")
        .append("<a href=\"/metrics\">/metrics</a> &middot; refreshed every 30 s</p></body></html>");
    return h.toString();
  }

  private void jobs(StringBuilder h, List<JobView> jobs) {
    h.append("<h2>Jobs</h2><table id=\"jobs\"><thead><tr><th>Job</th><th>Schedule</th><th>Next fire</th>")
        .append("<th>Last run</th><th>Last outcome</th><th>State</th></tr></thead><tbody>");
    for (JobView j : jobs) {
      RunRecord last = j.lastRun();
      boolean failed = last != null && last.outcome().isFailure();
      String cls = !j.enabled() ? "disabled" : failed ? "failed" : "";
      h.append("<tr data-job=\"").append(Html.escape(j.id())).append("\" class=\"").append(cls).append("\">")
          .append("<td><code>").append(Html.escape(j.id())).append("</code><br><span class=\"muted\">")
          .append(Html.escape(j.description())).append("</span></td>")
          .append("<td>").append(Html.escape(j.schedule())).append("</td>")
          .append("<td>").append(time(j.nextFire())).append("</td>")
          .append("<td>").append(last == null ? "never" : time(last.startedAt())).append("</td>")
          .append("<td class=\"outcome\">").append(last == null ? "-" : Html.escape(last.outcome().label())).append("</td>")
          .append("<td>").append(j.running() ? "running" : j.enabled() ? "enabled" : "disabled: " + Html.escape(j.disabledReason()))
          .append("</td></tr>");
    }
    h.append("</tbody></table>");
  }

  private void runs(StringBuilder h, List<RunRecord> runs) {
    h.append("<h2>Recent runs</h2>");
    if (runs.isEmpty()) {
      h.append("<p class=\"muted\" id=\"no-runs\">No runs yet.</p>");
      return;
    }
    h.append("<table id=\"runs\"><thead><tr><th>Run</th><th>Job</th><th>Trigger</th><th>Started</th>")
        .append("<th>Duration</th><th>Outcome</th><th>Error</th><th>Trace</th></tr></thead><tbody>");
    for (RunRecord r : runs) {
      h.append("<tr data-run=\"").append(r.id()).append("\" class=\"").append(r.outcome().isFailure() ? "failed" : "").append("\">")
          .append("<td><a href=\"/api/runs/").append(r.id()).append("\">").append(r.id()).append("</a></td>")
          .append("<td><code>").append(Html.escape(r.jobId())).append("</code></td>")
          .append("<td>").append(Html.escape(r.trigger())).append("</td>")
          .append("<td>").append(time(r.startedAt())).append("</td>")
          .append("<td>").append(r.duration() == null ? "running" : Html.escape(millis(r.duration()))).append("</td>")
          .append("<td class=\"outcome\">").append(Html.escape(r.outcome().label())).append("</td>")
          .append("<td class=\"err\">").append(Html.escape(r.errorMessage())).append("</td>")
          .append("<td>").append(traceLink(r.traceId())).append("</td></tr>");
    }
    h.append("</tbody></table>");
  }

  private String traceLink(String traceId) {
    String url = RunJson.traceUrl(traceId, traceTemplate);
    if (url != null) {
      return "<a class=\"trace\" href=\"" + Html.escape(url) + "\">trace</a>";
    }
    return traceId == null ? "" : "<span class=\"muted\" title=\"set PULSE_TRACE_URL to link traces\">" + Html.escape(traceId.substring(0, Math.min(8, traceId.length()))) + "</span>";
  }

  private void sections(StringBuilder h, boolean top) {
    for (Extension x : daemon.extensions()) {
      Optional<StatusSection> s;
      try {
        s = x.statusSection();
        if (s.isEmpty() || s.get().top() != top) {
          continue;
        }
        String body = s.get().html();
        h.append("<section data-extension=\"").append(Html.escape(x.name())).append("\"><h2>")
            .append(Html.escape(s.get().title())).append("</h2>").append(body).append("</section>");
      } catch (RuntimeException | LinkageError e) {
        log.warn("Status section of {} failed: {}", x.name(), e.toString());
        h.append("<section><p class=\"unhealthy\">").append(Html.escape(x.name())).append(": section unavailable (see the log)</p></section>");
      }
    }
  }

  private String time(Instant t) {
    return t == null ? "-" : "<time datetime=\"" + t + "\">" + time.format(t) + "</time>";
  }

  private static String millis(Duration d) {
    long ms = d.toMillis();
    return ms < 1000 ? ms + " ms" : Durations.format(Duration.ofMillis(ms - ms % 100));
  }
}
