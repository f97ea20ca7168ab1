package pulse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import pulse.api.Durations;

/** The value formats of the CLI's tables ({@link pulse.api.TextTable} prints them). */
final class Table {
  private Table() {}

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

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
