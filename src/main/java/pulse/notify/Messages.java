package pulse.notify;

import pulse.api.store.Text;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import pulse.api.Durations;

/**
 * What a notification says: the source, what failed, since when, the last error, and links to the
 * status page and the trace. The text is plain (no Telegram parse mode), so no escaping can break it.
 */
final class Messages {
  static final ObjectMapper JSON = new ObjectMapper();
  /** Telegram refuses messages over 4096 characters; the error is cut well before. */
  static final int ERROR_IN_TEXT = 1500;
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  /** Why a notification is sent. */
  enum Kind {
    OPENED("alert.opened"),
    REMINDER("alert.reminder"),
    RESOLVED("alert.resolved");

    final String event;

    Kind(String event) {
      this.event = event;
    }
  }

  private Messages() {}

  static String text(Kind kind, Alert a, AlertConfig config, Instant now) {
    String what = Sources.describe(a.source());
    StringBuilder b = new StringBuilder();
    switch (kind) {
      case OPENED -> b.append("🔴 ALERT: ").append(what).append(" is failing\n")
          .append(a.failureCount()).append(a.failureCount() == 1 ? " failure" : " failures in a row")
          .append(" since ").append(TIME.format(a.failingSince())).append('\n');
      case REMINDER -> b.append("🔁 STILL FAILING: ").append(what).append('\n')
          .append(a.failureCount()).append(" failures since ").append(TIME.format(a.failingSince()))
          .append(" (").append(Durations.format(round(Duration.between(a.failingSince(), now)))).append(")\n");
      case RESOLVED -> b.append("✅ RESOLVED: ").append(what).append(" is healthy again\n")
          .append("failed ").append(a.failureCount()).append(" times from ").append(TIME.format(a.failingSince()))
          .append(", down for ").append(Durations.format(round(Duration.between(a.failingSince(), now)))).append('\n');
    }
    if (a.flapping()) {
      b.append("Flapping: it resolves only after ").append(Durations.format(config.flapWindow()))
          .append(" without failures\n");
    }
    if (kind != Kind.RESOLVED && a.lastError() != null && !a.lastError().isBlank()) {
      b.append("Last error: ").append(Text.head(a.lastError(), ERROR_IN_TEXT)).append('\n');
    }
    b.append("Status: ").append(config.statusUrl());
    config.traceLink(a.lastTraceId()).ifPresent(t -> b.append("\nTrace: ").append(t));
    return b.toString();
  }

  /** The generic webhook body. */
  static String webhook(Kind kind, Alert a, AlertConfig config, Instant now) {
    ObjectNode n = JSON.createObjectNode();
    n.put("event", kind.event);
    n.put("alert_id", a.id());
    n.put("source", a.source());
    Sources.jobId(a.source()).ifPresent(id -> n.put("job", id));
    Sources.checkName(a.source()).ifPresent(c -> n.put("check", c));
    Sources.kind(a.source()).ifPresent(k -> n.put("kind", k));
    n.put("state", kind == Kind.RESOLVED ? Alert.RESOLVED : Alert.OPEN);
    n.put("failing_since", a.failingSince().toString());
    n.put("opened_at", a.openedAt().toString());
    if (kind == Kind.RESOLVED) {
      n.put("resolved_at", now.toString());
    }
    n.put("failure_count", a.failureCount());
    n.put("last_error", a.lastError());
    n.put("flapping", a.flapping());
    n.put("status_url", config.statusUrl());
    config.traceLink(a.lastTraceId()).ifPresentOrElse(t -> n.put("trace_url", t), () -> n.putNull("trace_url"));
    n.put("text", text(kind, a, config, now));
    n.put("sent_at", now.toString());
    return n.toString();
  }

  /** The webhook body of a family's notice (not an alert): {@code "event": "notice"}. */
  static String notice(pulse.api.Notice n, AlertConfig config, Instant now) {
    ObjectNode o = JSON.createObjectNode();
    o.put("event", "notice");
    o.put("source", n.source());
    Sources.kind(n.source()).ifPresent(k -> o.put("kind", k));
    o.put("text", n.text());
    o.put("status_url", config.statusUrl());
    o.put("sent_at", now.toString());
    return o.toString();
  }

  static String telegram(String text) {
    return JSON.createObjectNode().put("text", text).toString();
  }

  static String ping(String url, String body) {
    return JSON.createObjectNode().put("url", url).put("body", body == null ? "" : body).toString();
  }

  private static Duration round(Duration d) {
    return Duration.ofSeconds(Math.max(0, d.toSeconds()));
  }
}
