package pulse.notify;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import pulse.api.CommandContext;

/** What the alert commands share: reading the daemon's answer, and printing a plain table. */
final class CliSupport {
  static final int OK = 0;
  static final int FAILURE = 1;
  static final int UNAVAILABLE = 69;
  static final int CONFIG = 78;

  private CliSupport() {}

  /** The answer's JSON, or null after printing the daemon's error to err; the exit code goes to code[0]. */
  static JsonNode json(CommandContext.Response r, PrintWriter err, int[] code) throws IOException {
    if (r.status() >= 200 && r.status() < 300) {
      code[0] = OK;
      return Messages.JSON.readTree(r.body() == null || r.body().isBlank() ? "{}" : r.body());
    }
    String message = r.body();
    try {
      JsonNode e = Messages.JSON.readTree(r.body());
      message = e.path("error").asText(r.body());
      if (e.hasNonNull("field")) {
        message = e.path("field").asText() + ": " + message;
      }
    } catch (IOException ignored) {
      // not JSON: print it as it came
    }
    err.println("pulse: the daemon refused (HTTP " + r.status() + "): " + message);
    if (r.status() == 401 || r.status() == 403) {
      err.println("pulse: writes need PULSE_API_TOKEN, the same as the daemon's");
    }
    code[0] = r.status() == 401 || r.status() == 403 ? CONFIG : r.status() == 503 ? UNAVAILABLE : FAILURE;
    return null;
  }

  static String text(JsonNode n, int max) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return "-";
    }
    String s = n.asText().replaceAll("\\s+", " ").strip();
    return s.length() > max ? s.substring(0, max - 1) + "…" : s;
  }
}
