package pulse.notify;

import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import pulse.testing.StoreBackend;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.api.ApiException;
import pulse.api.ApiRequest;
import pulse.api.ApiResponse;
import pulse.api.Route;

/** Silences through the API routes, the alerts listing, and the status section. */
@ParameterizedClass
@EnumSource(StoreBackend.class)
class SilencesAndRoutesTest {
  @Parameter StoreBackend backend;
  @TempDir Path dir;
  FakeTelegram telegram;
  AlertsHarness h;

  @BeforeEach
  void setUp() throws Exception {
    telegram = new FakeTelegram();
    h = new AlertsHarness(backend, dir);
    h.env.putAll(telegram.settings());
    h.start();
  }

  @AfterEach
  void tearDown() {
    h.close();
    telegram.close();
  }

  private Route route(String method, String path) {
    return h.ext.routes().stream().filter(r -> r.method().equals(method) && r.path().equals(path)).findFirst().orElseThrow();
  }

  private ApiResponse call(String method, String path, Map<String, String> params, String body) throws Exception {
    String template = path.contains("/silences/") ? "/api/silences/{id}" : path;
    return route(method, template).handler().handle(new ApiRequest(method, path, params, Map.of(),
        body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8), null));
  }

  private ApiException refused(String body) {
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> call("POST", "/api/silences", Map.of(), body));
    assertThat(t).isInstanceOf(ApiException.class);
    return (ApiException) t;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(ApiResponse r) {
    return (Map<String, Object>) r.body();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Object o) {
    return (List<Map<String, Object>>) o;
  }

  private List<String> settled(int expected) {
    await().atMost(Duration.ofSeconds(10)).until(() -> telegram.texts().size() >= expected && h.waiting() == 0);
    assertThat(h.deliver()).isZero();
    return telegram.texts();
  }

  @Test
  void aSilenceSuppressesNotificationsButTheAlertIsRecorded() throws Exception {
    ApiResponse r = call("POST", "/api/silences", Map.of(), "{\"source\":\"backup-db\",\"duration\":\"2h\",\"reason\":\"disk swap\"}");
    assertThat(r.status()).isEqualTo(201);
    assertThat(map(r)).containsEntry("source", "job:backup-db").containsEntry("reason", "disk swap")
        .containsEntry("until", h.clock.instant().plus(Duration.ofHours(2)).toString());

    h.fail("backup-db", "exit 1");
    h.fail("backup-db", "exit 1");
    h.fail("sync", "exit 1");
    h.fail("sync", "exit 1");
    assertThat(h.openAlerts()).hasSize(2);
    assertThat(settled(1)).singleElement().satisfies(t -> assertThat(t).contains("job sync"));

    Map<String, Object> alerts = map(call("GET", "/api/alerts", Map.of(), null));
    List<Map<String, Object>> open = list(alerts.get("open"));
    assertThat(open).filteredOn(a -> a.get("source").equals("job:backup-db")).singleElement()
        .satisfies(a -> assertThat(a).containsEntry("notified", false).containsEntry("silenced", true).containsEntry("failure_count", 2));

    // Resolution while silenced: nothing is sent either.
    h.ok("backup-db");
    assertThat(settled(1)).hasSize(1);
  }

  @Test
  void whenASilenceEndsAStillOpenAlertIsAnnounced() throws Exception {
    call("POST", "/api/silences", Map.of(), "{\"source\":\"all\",\"duration\":\"1h\",\"reason\":\"maintenance\"}");
    h.fail("sync", "exit 1");
    h.fail("sync", "exit 1");
    h.running().engine().tick();
    assertThat(settled(0)).isEmpty();
    h.clock.advance(Duration.ofMinutes(61));
    h.running().engine().tick();
    assertThat(settled(1)).singleElement().satisfies(t -> assertThat(t).contains("ALERT: job sync"));
  }

  @Test
  void removingASilenceEndsIt() throws Exception {
    long id = ((Number) map(call("POST", "/api/silences", Map.of(),
        "{\"source\":\"check:web\",\"until\":\"2026-03-02T00:00:00Z\",\"reason\":\"known outage\"}")).get("id")).longValue();
    List<?> listed = (List<?>) map(call("GET", "/api/silences", Map.of(), null)).get("silences");
    assertThat(listed).hasSize(1);
    assertThat(map(call("DELETE", "/api/silences/" + id, Map.of("id", String.valueOf(id)), null))).containsEntry("removed", id);
    assertThat((List<?>) map(call("GET", "/api/silences", Map.of(), null)).get("silences")).isEmpty();
    assertThatThrownBy(() -> call("DELETE", "/api/silences/" + id, Map.of("id", String.valueOf(id)), null))
        .isInstanceOf(ApiException.class).satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(404));
    h.check("web", false, "down");
    h.check("web", false, "down");
    assertThat(settled(1)).hasSize(1);
  }

  @Test
  void aFamilysOwnSourceKindAlertsAtItsOwnThresholdAndCanBeSilenced() throws Exception {
    // a family (replica checks) publishes table:<name> and alerts on the first failure
    h.ext.checkFinished(new pulse.api.CheckEvent("table:orders", false, "no rows in 15 min", h.clock.instant(), null, null, 1));
    assertThat(h.openAlerts()).singleElement().satisfies(a -> assertThat(a.source()).isEqualTo("table:orders"));
    assertThat(settled(1)).singleElement().satisfies(t -> assertThat(t).contains("table orders").contains("no rows in 15 min"));

    ApiResponse r = call("POST", "/api/silences", Map.of(), "{\"source\":\"table:orders\",\"duration\":\"1h\",\"reason\":\"reload\"}");
    assertThat(r.status()).isEqualTo(201);
    assertThat(map(r)).containsEntry("source", "table:orders");
    ApiException unknownKind = refused("{\"source\":\"rollout:web\",\"duration\":\"1h\",\"reason\":\"x\"}");
    assertThat(unknownKind.field()).isEqualTo("source");
    assertThat(unknownKind).hasMessageContaining("table:<name>");

    // a notice from any family goes out through the same durable outbox
    assertThat(h.ext.notifications().orElseThrow().send(new pulse.api.Notice("prompt:7", "pulse 7 completed"))).isTrue();
    assertThat(settled(2)).last().isEqualTo("pulse 7 completed");
  }

  @Test
  void badSilencesAreRefusedNamingTheField() {
    assertThat(refused("{\"duration\":\"2h\",\"reason\":\"x\"}").field()).isEqualTo("source");
    assertThat(refused("{\"source\":\"job:nope\",\"duration\":\"2h\",\"reason\":\"x\"}"))
        .satisfies(e -> assertThat(e.field()).isEqualTo("source")).hasMessageContaining("no job 'nope'");
    assertThat(refused("{\"source\":\"nope\",\"duration\":\"2h\",\"reason\":\"x\"}").field()).isEqualTo("source");
    assertThat(refused("{\"source\":\"all\",\"reason\":\"x\"}").field()).isEqualTo("duration");
    assertThat(refused("{\"source\":\"all\",\"duration\":\"soon\",\"reason\":\"x\"}"))
        .satisfies(e -> assertThat(e.field()).isEqualTo("duration")).hasMessageContaining("not a duration");
    assertThat(refused("{\"source\":\"all\",\"until\":\"tomorrow\",\"reason\":\"x\"}").field()).isEqualTo("until");
    assertThat(refused("{\"source\":\"all\",\"until\":\"2020-01-01T00:00:00Z\",\"reason\":\"x\"}"))
        .satisfies(e -> assertThat(e.field()).isEqualTo("until")).hasMessageContaining("in the past");
    assertThat(refused("{\"source\":\"all\",\"duration\":\"2h\"}").field()).isEqualTo("reason");
    assertThat(refused("{\"source\":\"all\",\"duration\":\"800d\",\"reason\":\"x\"}").field()).isEqualTo("duration");
    assertThat(refused("{\"source\":\"all\",\"duration\":\"2h\",\"until\":\"2026-03-02T00:00:00Z\",\"reason\":\"x\"}").status())
        .isEqualTo(400);
    assertThat(refused("not json").status()).isEqualTo(400);
    assertThat(refused("{\"source\":7,\"duration\":\"2h\",\"reason\":\"x\"}").field()).isEqualTo("source");
  }

  @Test
  void theAlertsListingHasOpenAndRecent() throws Exception {
    h.fail("sync", "e1");
    h.fail("sync", "e2");
    h.ok("sync");
    h.fail("backup-db", "e");
    h.fail("backup-db", "e");
    Map<String, Object> alerts = map(call("GET", "/api/alerts", Map.of(), null));
    assertThat(list(alerts.get("open"))).extracting(a -> a.get("source")).containsExactly("job:backup-db");
    assertThat(list(alerts.get("recent"))).singleElement().satisfies(a -> assertThat(a)
        .containsEntry("source", "job:sync").containsEntry("state", "resolved").containsEntry("last_error", "e2"));
    assertThat(alerts).containsKeys("silences", "outbox");
  }

  @Test
  void theStatusSectionListsOpenAlertsEscaped() throws Exception {
    h.check("web", false, "<script>alert('x')</script> & more");
    h.check("web", false, "<script>alert('x')</script> & more");
    var section = h.ext.statusSection().orElseThrow();
    assertThat(section.top()).isTrue();
    String html = section.html();
    assertThat(html).contains("check web").contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more")
        .doesNotContain("<script>");
    h.check("web", true, null);
    assertThat(section.html()).contains("No open alerts.");
  }
}
