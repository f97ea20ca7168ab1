package pulse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import pulse.api.Durations;

/** A plain-text table with columns sized to their content, and the value formats the CLI uses. */
final class Table {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());
  private final List<String[]> rows = new ArrayList<>();

  Table(String... header) {
    rows.add(header);
  }

  void row(String... cells) {
    rows.add(cells);
  }

  void print(PrintWriter out) {
    int cols = rows.get(0).length;
    int[] w = new int[cols];
    for (String[] r : rows) {
      for (int i = 0; i < cols - 1; i++) {
        w[i] = Math.max(w[i], r[i] == null ? 1 : r[i].length());
      }
    }
    for (String[] r : rows) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < cols; i++) {
        String c = r[i] == null ? "-" : r[i];
        b.append(i < cols - 1 ? String.format("%-" + w[i] + "s  ", c) : c);
      }
      out.println(b.toString().stripTrailing());
    }
    out.flush();
  }

  static String time(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode() || n.asText().isEmpty()) {
      return "-";
    }
    try {
      return TIME.format(Instant.parse(n.asText()));
    } catch (RuntimeException e) {
      return n.asText();
    }
  }

  static String millis(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return "-";
    }
    long ms = n.asLong();
    return ms < 1000 ? ms + "ms" : Durations.format(Duration.ofMillis(ms - ms % 100));
  }

  static String text(JsonNode n) {
    return n == null || n.isNull() || n.isMissingNode() ? null : n.asText();
  }
}
