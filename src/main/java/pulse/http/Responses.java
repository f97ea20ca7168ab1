package pulse.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.sun.net.httpserver.Headers;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** HTTP/1.1 answers as bytes, and the one shape of an error body. */
final class Responses {
  static final String JSON_TYPE = "application/json; charset=utf-8";
  private static final Map<Integer, String> REASONS = Map.ofEntries(
      Map.entry(100, "Continue"), Map.entry(200, "OK"), Map.entry(201, "Created"), Map.entry(202, "Accepted"),
      Map.entry(204, "No Content"), Map.entry(304, "Not Modified"), Map.entry(400, "Bad Request"),
      Map.entry(401, "Unauthorized"), Map.entry(403, "Forbidden"), Map.entry(404, "Not Found"),
      Map.entry(405, "Method Not Allowed"), Map.entry(408, "Request Timeout"), Map.entry(409, "Conflict"),
      Map.entry(413, "Request Entity Too Large"), Map.entry(414, "URI Too Long"), Map.entry(421, "Misdirected Request"),
      Map.entry(429, "Too Many Requests"), Map.entry(431, "Request Header Fields Too Large"),
      Map.entry(500, "Internal Server Error"), Map.entry(503, "Service Unavailable"));

  private Responses() {}

  /** {@code {"error": ..., "field": ..., "status": ...}}: every error the API gives looks like this. */
  static byte[] errorBody(int status, String field, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", message);
    if (field != null) {
      body.put("field", field);
    }
    body.put("status", status);
    try {
      return Json.MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a map of strings always serializes", e);
    }
  }

  /** A whole error answer, for what the connection loop refuses before any handler runs. */
  static byte[] error(int status, String message, boolean close) {
    byte[] body = errorBody(status, null, message);
    Headers h = new Headers();
    h.set("Content-Type", JSON_TYPE);
    h.set("Cache-Control", "no-store");
    h.set("X-Content-Type-Options", "nosniff");
    h.set("Content-Length", String.valueOf(body.length));
    if (close) {
      h.set("Connection", "close");
    }
    return wire(status, h, body);
  }

  static byte[] wire(int status, Headers headers, byte[] body) {
    StringBuilder b = new StringBuilder(256).append("HTTP/1.1 ").append(status).append(' ')
        .append(REASONS.getOrDefault(status, "Status")).append("\r\n");
    b.append("Date: ").append(DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC))).append("\r\n");
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      for (String v : e.getValue()) {
        b.append(e.getKey()).append(": ").append(v).append("\r\n");
      }
    }
    b.append("\r\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream(b.length() + body.length);
    out.writeBytes(b.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(body);
    return out.toByteArray();
  }
}
