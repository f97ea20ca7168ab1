package pulse.jobs.prompt;

import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import pulse.testing.StoreBackend;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.api.ApiException;
import pulse.api.ApiRequest;
import pulse.api.ApiResponse;
import pulse.store.Database;

/** The route handlers called directly, against a real H2 database. */
@ParameterizedClass
@EnumSource(StoreBackend.class)
class PromptRoutesTest {
  @Parameter StoreBackend backend;
  static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  @TempDir Path dir;
  Database db;
  PromptQueue queue;
  PromptRoutes routes;
  final AtomicInteger wakes = new AtomicInteger();
  final Instant now = Instant.parse("2026-05-01T10:00:00Z");

  @BeforeEach
  void open() {
    db = PromptTesting.database(backend, dir);
    queue = new PromptQueue(db.store());
    PromptRoutes.Live live = new PromptRoutes.Live(queue, wakes::incrementAndGet, Clock.fixed(now, ZoneOffset.UTC), ZoneOffset.UTC);
    routes = new PromptRoutes(() -> live);
  }

  @AfterEach
  void close() {
    db.close();
  }

  static ApiRequest post(String body) {
    return new ApiRequest("POST", "/api/pulse/schedule", Map.of(), Map.of(), body.getBytes(StandardCharsets.UTF_8), TRACEPARENT);
  }

  static ApiRequest withId(String method, String id) {
    return new ApiRequest(method, "/api/pulse/" + id, Map.of("id", id), Map.of(), new byte[0], null);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> body(ApiResponse r) {
    return (Map<String, Object>) r.body();
  }

  @Test
  void scheduleStoresThePulseAndAnswers201() {
    ApiResponse r = routes.schedule(post(
        "{\"prompt\":\"check mail\",\"scheduled_at\":\"in 2h\",\"priority\":\"high\",\"source\":\"cron\",\"tags\":[\"mail\"],\"notes\":\"n\"}"));

    assertThat(r.status()).isEqualTo(201);
    Map<String, Object> b = body(r);
    assertThat(b).containsEntry("prompt", "check mail").containsEntry("priority", "high").containsEntry("status", "pending")
        .containsEntry("scheduled_at", "2026-05-01T12:00:00Z").containsEntry("source", "cron").containsEntry("tags", List.of("mail"));
    PromptPulse stored = queue.find((Long) b.get("id")).orElseThrow();
    assertThat(stored.requestTraceparent()).isEqualTo(TRACEPARENT);
    assertThat(stored.notes()).isEqualTo("n");
    assertThat(wakes).hasValue(0); // not due yet: no need to wake the executor

    routes.schedule(post("{\"prompt\":\"now please\"}"));
    assertThat(wakes).hasValue(1);
  }

  @Test
  void invalidRequestsAre400NamingTheFieldAndStoreNothing() {
    assertField("{\"prompt\":\"\"}", "prompt", "must not be empty");
    assertField("{\"prompt\":\"   \"}", "prompt", "must not be empty");
    assertField("{}", "prompt", "required");
    assertField("{\"prompt\":\"x\",\"priority\":\"urgent\"}", "priority", "critical, high, normal, low or deferred");
    assertField("{\"prompt\":\"x\",\"scheduled_at\":\"next tuesday\"}", "scheduled_at", "is not a time");
    assertField("{\"prompt\":\"x\",\"priorty\":\"high\"}", "priorty", "unknown field");
    assertField("{\"prompt\":5}", "prompt", "must be a string");
    assertField("{\"prompt\":\"x\",\"tags\":{\"a\":1}}", "tags", "array of strings");
    assertField("{\"prompt\":\"" + "x".repeat(PulseRequest.MAX_PROMPT_CHARS + 1) + "\"}", "prompt", "at most");
    assertField("{\"prompt\": \"x\"", null, "not valid JSON");
    assertField("[1,2]", null, "JSON object");
    assertField("", null, "JSON object");
    assertThat(queue.countByStatus().values()).allMatch(n -> n == 0);
  }

  private void assertField(String body, String field, String message) {
    assertThatThrownBy(() -> routes.schedule(post(body)))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.status()).isEqualTo(400);
          assertThat(e.field()).isEqualTo(field);
          assertThat(e.getMessage()).contains(message);
        });
  }

  @Test
  void showCancelAndTheirErrors() {
    long id = (Long) body(routes.schedule(post("{\"prompt\":\"later\",\"scheduled_at\":\"+1h\"}"))).get("id");

    assertThat(body(routes.show(withId("GET", String.valueOf(id))))).containsEntry("status", "pending");
    assertThat(body(routes.cancel(withId("DELETE", String.valueOf(id))))).containsEntry("status", "cancelled");
    assertThatThrownBy(() -> routes.cancel(withId("DELETE", String.valueOf(id))))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.status()).isEqualTo(409);
          assertThat(e.getMessage()).contains("already cancelled");
        });
    assertThatThrownBy(() -> routes.show(withId("GET", "999")))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404));
    assertThatThrownBy(() -> routes.show(withId("GET", "abc")))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage()).contains("ids are numbers"));

    long running = (Long) body(routes.schedule(post("{\"prompt\":\"now\"}"))).get("id");
    queue.claimDue("me", now, now.plusSeconds(60), 1);
    assertThatThrownBy(() -> routes.cancel(withId("DELETE", String.valueOf(running))))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage()).contains("is running"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void upcomingListsRunningThenPendingInTimeOrderAndStatusCountsTheQueue() {
    routes.schedule(post("{\"prompt\":\"c\",\"scheduled_at\":\"+3h\"}"));
    routes.schedule(post("{\"prompt\":\"b\",\"scheduled_at\":\"+2h\",\"priority\":\"low\"}"));
    routes.schedule(post("{\"prompt\":\"a\"}"));
    queue.claimDue("me", now, now.plusSeconds(60), 1);
    routes.schedule(post("{\"prompt\":\"d\",\"scheduled_at\":\"+1h\"}"));

    ApiRequest up = new ApiRequest("GET", "/api/pulse/upcoming", Map.of(), Map.of("limit", List.of("10")), new byte[0], null);
    List<Map<String, Object>> list = (List<Map<String, Object>>) routes.upcoming(up).body();
    assertThat(list).extracting(m -> m.get("prompt")).containsExactly("a", "d", "b", "c");

    Map<String, Object> status = body(routes.status(up));
    assertThat((Map<String, Long>) status.get("queue")).containsEntry("pending", 3L).containsEntry("processing", 1L);
    assertThat(status).containsKeys("executed_last_hour", "executed_per_hour_24h", "failure_rate_24h", "average_run_seconds_24h");

    ApiRequest bad = new ApiRequest("GET", "/api/pulse/upcoming", Map.of(), Map.of("limit", List.of("0")), new byte[0], null);
    assertThatThrownBy(() -> routes.upcoming(bad))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.field()).isEqualTo("limit"));
  }
}
