package pulse.notify;

import pulse.api.store.Text;

import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import pulse.api.StatusSection;

/** Open alerts, at the top of the status page. Every value shown is HTML-escaped. */
final class AlertsSection implements StatusSection {
  private final Supplier<AlertsExtension.Running> running;

  AlertsSection(Supplier<AlertsExtension.Running> running) {
    this.running = running;
  }

  @Override
  public String title() {
    return "Open alerts";
  }

  @Override
  public boolean top() {
    return true;
  }

  @Override
  public String html() {
    AlertsExtension.Running r = running.get();
    if (r == null) {
      return "<p>Alerting is not running.</p>";
    }
    Instant now = r.context().clock().instant();
    record View(List<Alert> open, List<Silence> silences) {}
    View v = r.store().inTransaction("read alerts for the status page", c -> new View(AlertStore.open(c), AlertStore.activeSilences(c, now)));
    StringBuilder b = new StringBuilder();
    if (v.open().isEmpty()) {
      b.append("<p class=\"ok\">No open alerts.</p>");
    } else {
      b.append("<table class=\"alerts\"><thead><tr><th>source</th><th>failing since</th><th>failures</th>")
          .append("<th>last error</th><th></th></tr></thead><tbody>");
      for (Alert a : v.open()) {
        boolean silenced = v.silences().stream().anyMatch(s -> s.covers(a.source()));
        b.append("<tr class=\"alert\"><td>").append(esc(Sources.describe(a.source()))).append("</td><td>")
            .append(esc(a.failingSince().toString())).append("</td><td>").append(a.failureCount()).append("</td><td>")
            .append(esc(Text.head(a.lastError() == null ? "" : a.lastError(), 300))).append("</td><td>");
        r.config().traceLink(a.lastTraceId()).ifPresent(t -> b.append("<a href=\"").append(esc(t)).append("\">trace</a> "));
        if (a.flapping()) {
          b.append("flapping ");
        }
        if (silenced) {
          b.append("silenced");
        }
        b.append("</td></tr>");
      }
      b.append("</tbody></table>");
    }
    for (Silence s : v.silences()) {
      b.append("<p class=\"silence\">Silenced: ").append(esc(s.source().equals(Sources.ALL) ? "all" : s.source()))
          .append(" until ").append(esc(s.until().toString())).append(" — ").append(esc(s.reason())).append("</p>");
    }
    return b.toString();
  }

  static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char ch : s.toCharArray()) {
      switch (ch) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(ch);
      }
    }
    return b.toString();
  }
}
