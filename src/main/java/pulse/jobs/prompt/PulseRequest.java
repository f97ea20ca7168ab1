package pulse.jobs.prompt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import pulse.api.ApiException;

/**
 * Reads and validates the body of {@code POST /api/pulse/schedule}: every problem is a 400 naming
 * the field, and nothing is stored unless the whole request is valid.
 */
final class PulseRequest {
  static final int MAX_PROMPT_CHARS = 32_768; // Linux caps one argument at 128 KiB; stay well inside
  static final int MAX_SOURCE_CHARS = 100;
  static final int MAX_NOTES_CHARS = 4_000;
  static final int MAX_TAGS = 20;
  static final int MAX_TAG_CHARS = 50;
  static final String DEFAULT_SOURCE = "api";
  private static final Set<String> FIELDS = Set.of("prompt", "scheduled_at", "priority", "source", "tags", "notes");
  private static final ObjectMapper JSON = new ObjectMapper();

  private PulseRequest() {}

  static NewPulse parse(byte[] body, String traceparent, Instant now, ZoneId zone) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest(null, "the body is not valid JSON (" + e.getOriginalMessage()
          + "); send an object such as {\"prompt\": \"...\", \"scheduled_at\": \"in 2h\"}");
    } catch (java.io.IOException e) {
      throw ApiException.badRequest(null, "the body could not be read: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw ApiException.badRequest(null, "the body must be a JSON object such as {\"prompt\": \"...\"}");
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!FIELDS.contains(f)) {
        throw ApiException.badRequest(f, "unknown field '" + f + "'; accepted: prompt, scheduled_at, priority, source, tags, notes");
      }
    }
    String prompt = text(root, "prompt");
    if (prompt == null || prompt.isBlank()) {
      throw ApiException.badRequest("prompt", "prompt is required and must not be empty");
    }
    if (prompt.length() > MAX_PROMPT_CHARS) {
      throw ApiException.badRequest("prompt", "prompt is " + prompt.length() + " characters; at most " + MAX_PROMPT_CHARS + " fit");
    }
    if (prompt.indexOf('\0') >= 0) {
      throw ApiException.badRequest("prompt", "prompt contains a NUL character, which no command line can carry");
    }
    Instant at;
    try {
      at = ScheduledAt.parse(text(root, "scheduled_at"), now, zone);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("scheduled_at", e.getMessage());
    }
    String priorityText = text(root, "priority");
    Priority priority = priorityText == null ? Priority.NORMAL : Priority.parse(priorityText).orElseThrow(() ->
        ApiException.badRequest("priority", "unknown priority '" + priorityText + "'; use " + Priority.accepted()));
    String source = text(root, "source");
    source = source == null || source.isBlank() ? DEFAULT_SOURCE : source.trim();
    if (source.length() > MAX_SOURCE_CHARS) {
      throw ApiException.badRequest("source", "source is longer than " + MAX_SOURCE_CHARS + " characters");
    }
    String notes = text(root, "notes");
    if (notes != null && notes.length() > MAX_NOTES_CHARS) {
      throw ApiException.badRequest("notes", "notes are longer than " + MAX_NOTES_CHARS + " characters");
    }
    return new NewPulse(prompt, at, priority, source, tags(root.get("tags")), notes, traceparent, null);
  }

  private static String text(JsonNode root, String field) {
    JsonNode n = root.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      throw ApiException.badRequest(field, field + " must be a string");
    }
    return n.asText();
  }

  /** An array of strings, or one comma-separated string. */
  private static List<String> tags(JsonNode n) {
    List<String> out = new ArrayList<>();
    if (n == null || n.isNull()) {
      return out;
    }
    if (n.isTextual()) {
      for (String t : n.asText().split(",")) {
        if (!t.isBlank()) {
          out.add(t.trim());
        }
      }
    } else if (n.isArray()) {
      for (JsonNode t : n) {
        if (!t.isTextual() || t.asText().isBlank()) {
          throw ApiException.badRequest("tags", "tags must be non-empty strings");
        }
        out.add(t.asText().trim());
      }
    } else {
      throw ApiException.badRequest("tags", "tags must be an array of strings, such as [\"daily\", \"mail\"]");
    }
    if (out.size() > MAX_TAGS) {
      throw ApiException.badRequest("tags", "at most " + MAX_TAGS + " tags");
    }
    for (String t : out) {
      if (t.length() > MAX_TAG_CHARS) {
        throw ApiException.badRequest("tags", "tag '" + t.substring(0, 20) + "…' is longer than " + MAX_TAG_CHARS + " characters");
      }
    }
    return out;
  }
}
