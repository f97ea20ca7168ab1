package pulse.notify;

import java.util.Optional;

import pulse.api.store.Text;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import pulse.api.ApiException;
import pulse.api.ApiRequest;
import pulse.api.ApiResponse;
import pulse.api.Durations;
import pulse.api.Route;

/** {@code /api/alerts} and {@code /api/silences}. JSON keys are spelled snake_case here. */
final class AlertRoutes {
  static final int RECENT = 50;
  static final int REASON_MAX = 1000;
  static final Duration LONGEST_SILENCE = Duration.ofDays(366);
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,150}");

  private final Supplier<AlertsExtension.Running> running;

  AlertRoutes(Supplier<AlertsExtension.Running> running) {
    this.running = running;
  }

  List<Route> routes() {
    return List.of(
        Route.get("/api/alerts", this::alerts),
        Route.get("/api/silences", this::silences),
        Route.post("/api/silences", this::silence),
        Route.delete("/api/silences/{id}", this::unsilence));
  }

  private AlertsExtension.Running r() {
    AlertsExtension.Running r = running.get();
    if (r == null) {
      throw new ApiException(503, null, "alerting is not running (the daemon is starting or stopping); try again");
    }
    return r;
  }

  ApiResponse alerts(ApiRequest req) {
    AlertsExtension.Running r = r();
    Instant now = r.context().clock().instant();
    return ApiResponse.ok(r.store().inTransaction("answer an alerts request", c -> {
      List<Silence> silences = AlertStore.activeSilences(c, now);
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("open", AlertStore.open(c).stream().map(a -> json(a, silences, r.config())).toList());
      out.put("recent", AlertStore.recentlyResolved(c, RECENT).stream().map(a -> json(a, silences, r.config())).toList());
      out.put("silences", silences.stream().map(AlertRoutes::json).toList());
      Map<String, Object> outbox = new LinkedHashMap<>();
      outbox.put("waiting", OutboxStore.count(c, "delivered_at IS NULL AND failed_at IS NULL"));
      outbox.put("given_up", OutboxStore.count(c, "failed_at IS NOT NULL"));
      out.put("outbox", outbox);
      return out;
    }));
  }

  ApiResponse silences(ApiRequest req) {
    AlertsExtension.Running r = r();
    Instant now = r.context().clock().instant();
    List<Silence> silences = r.store().inTransaction("answer an alerts request", c -> AlertStore.activeSilences(c, now));
    return ApiResponse.ok(Map.of("silences", silences.stream().map(AlertRoutes::json).toList()));
  }

  ApiResponse silence(ApiRequest req) {
    AlertsExtension.Running r = r();
    JsonNode body;
    try {
      body = Messages.JSON.readTree(req.body() == null || req.body().length == 0 ? "{}" : req.bodyText());
    } catch (IOException e) {
      throw ApiException.badRequest(null, "the body is not JSON; send {\"source\": \"job:backup\", \"duration\": \"2h\", \"reason\": \"...\"}");
    }
    if (body == null || !body.isObject()) {
      throw ApiException.badRequest(null, "the body must be a JSON object with source, until or duration, and reason");
    }
    Instant now = r.context().clock().instant();
    String source = source(text(body, "source"), r);
    Instant until = until(body, now);
    String reason = text(body, "reason");
    if (reason == null || reason.isBlank()) {
      throw ApiException.badRequest("reason", "reason is required: say why, such as \"disk replacement\"");
    }
    if (reason.length() > REASON_MAX) {
      throw ApiException.badRequest("reason", "reason is longer than " + REASON_MAX + " characters");
    }
    long id = r.store().inTransaction("answer an alerts request", c -> AlertStore.addSilence(c, source, until, reason.strip(), now));
    return ApiResponse.created(json(new Silence(id, source, until, reason.strip(), now)));
  }

  ApiResponse unsilence(ApiRequest req) {
    AlertsExtension.Running r = r();
    String raw = req.pathParam("id");
    long id;
    try {
      id = Long.parseLong(raw);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("id", "'" + raw + "' is not a silence id; 'pulse silence --list' shows them");
    }
    Instant now = r.context().clock().instant();
    if (!r.store().inTransaction("answer an alerts request", c -> AlertStore.removeSilence(c, id, now))) {
      throw ApiException.notFound("no silence " + id + " in force; 'pulse silence --list' shows them");
    }
    return ApiResponse.ok(Map.of("removed", id));
  }

  /** "all", "job:<id>", "check:<name>", or a bare job id. */
  private static String source(String raw, AlertsExtension.Running r) {
    if (raw == null || raw.isBlank()) {
      throw ApiException.badRequest("source", "source is required: all, job:<id> or check:<name>");
    }
    String s = raw.strip();
    if (s.equals("all") || s.equals(Sources.ALL)) {
      return Sources.ALL;
    }
    if (!s.contains(":") && r.context().jobIds().contains(s)) {
      return Sources.job(s);
    }
    if (Sources.jobId(s).isPresent()) {
      String id = Sources.jobId(s).get();
      if (!r.context().jobIds().contains(id)) {
        throw ApiException.badRequest("source", "there is no job '" + id + "'; 'pulse jobs' lists the ids");
      }
      return s;
    }
    if (Sources.checkName(s).filter(n -> NAME.matcher(n).matches()).isPresent()) {
      return s;
    }
    java.util.Set<String> kinds = r.context().alertSourceKinds();
    Optional<String> kind = Sources.kind(s);
    if (kind.isPresent() && kinds.contains(kind.get()) && NAME.matcher(s.substring(kind.get().length() + 1)).matches()) {
      return s; // a family's kind (table:orders, node:web-2)
    }
    throw ApiException.badRequest("source", "'" + Text.head(s, 100) + "' is not a source; write all, job:<id>, check:<name>"
        + kinds.stream().filter(k -> !k.equals("job") && !k.equals("check")).sorted().map(k -> ", " + k + ":<name>")
            .collect(java.util.stream.Collectors.joining()));
  }

  private static Instant until(JsonNode body, Instant now) {
    String until = text(body, "until");
    String duration = text(body, "duration");
    if ((until == null) == (duration == null)) {
      throw ApiException.badRequest(until == null ? "duration" : "until",
          "give exactly one of until (such as 2026-01-31T18:00:00Z) or duration (such as 2h)");
    }
    Instant end;
    String field;
    if (until != null) {
      field = "until";
      try {
        end = Instant.parse(until.strip());
      } catch (DateTimeParseException e) {
        throw ApiException.badRequest("until", "'" + Text.head(until, 60) + "' is not a time; write ISO-8601 UTC such as 2026-01-31T18:00:00Z");
      }
      if (!end.isAfter(now)) {
        throw ApiException.badRequest("until", until + " is in the past");
      }
    } else {
      field = "duration";
      Duration d;
      try {
        d = Durations.parse(duration);
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest("duration", e.getMessage());
      }
      if (d.isZero() || d.isNegative()) {
        throw ApiException.badRequest("duration", "duration must be longer than 0, such as 2h");
      }
      end = now.plus(d.compareTo(LONGEST_SILENCE) > 0 ? LONGEST_SILENCE.plusDays(1) : d);
    }
    if (end.isAfter(now.plus(LONGEST_SILENCE))) {
      throw ApiException.badRequest(field, "a silence may last at most " + LONGEST_SILENCE.toDays() + " days; turn the job or check off instead");
    }
    return end;
  }

  private static String text(JsonNode body, String field) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      throw ApiException.badRequest(field, field + " must be a string");
    }
    return n.asText();
  }

  static Map<String, Object> json(Alert a, List<Silence> silences, AlertConfig config) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", a.id());
    m.put("source", a.source());
    m.put("state", a.state());
    m.put("failing_since", a.failingSince().toString());
    m.put("opened_at", a.openedAt().toString());
    m.put("resolved_at", a.resolvedAt() == null ? null : a.resolvedAt().toString());
    m.put("failure_count", a.failureCount());
    m.put("last_error", a.lastError());
    m.put("flapping", a.flapping());
    m.put("notified", a.announced());
    m.put("silenced", silences.stream().anyMatch(s -> s.covers(a.source())));
    m.put("trace_url", config.traceLink(a.lastTraceId()).orElse(null));
    return m;
  }

  static Map<String, Object> json(Silence s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", s.id());
    m.put("source", s.source().equals(Sources.ALL) ? "all" : s.source());
    m.put("until", s.until().toString());
    m.put("reason", s.reason());
    m.put("created_at", s.createdAt().toString());
    return m;
  }
}
