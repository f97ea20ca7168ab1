package pulse.jobs.health;

import java.util.List;
import java.util.function.Supplier;
import pulse.api.StatusSection;

/** The status page's table of checks: state, name, target, what was seen, when. */
final class ChecksSection implements StatusSection {
  private final Supplier<List<CheckResult>> results;

  ChecksSection(Supplier<List<CheckResult>> results) {
    this.results = results;
  }

  @Override
  public String title() {
    return "Health checks";
  }

  @Override
  public String html() {
    List<CheckResult> rs = results.get();
    if (rs.isEmpty()) {
      return "<p>No checks configured. Add one with <code>PULSE_CHECK_&lt;NAME&gt;=https://...</code>.</p>";
    }
    StringBuilder b = new StringBuilder("<table class=\"checks\"><thead><tr><th>state</th><th>check</th><th>target</th>"
        + "<th>result</th><th>checked</th><th>latency</th></tr></thead><tbody>");
    for (CheckResult r : rs) {
      b.append("<tr class=\"").append(esc(r.state())).append("\"><td>").append(esc(r.state())).append("</td><td>")
          .append(esc(r.name())).append("</td><td>").append(esc(r.target())).append("</td><td>").append(esc(r.message()))
          .append("</td><td>").append(r.at() == null ? "" : esc(r.at().toString())).append("</td><td>")
          .append(r.latency() == null ? "" : r.latency().toMillis() + " ms").append("</td></tr>");
    }
    return b.append("</tbody></table>").toString();
  }

  static String esc(String s) {
    if (s == null) {
      return "";
    }
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
  }
}
