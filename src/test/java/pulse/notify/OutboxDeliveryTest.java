package pulse.notify;

import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import pulse.testing.StoreBackend;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Channel outages, retries and restarts: no notification lost, none sent twice. */
@ParameterizedClass
@EnumSource(StoreBackend.class)
class OutboxDeliveryTest {
  @Parameter StoreBackend backend;
  @TempDir Path dir;
  FakeTelegram telegram;
  AlertsHarness h;

  @BeforeEach
  void setUp() throws Exception {
    telegram = new FakeTelegram();
    h = new AlertsHarness(backend, dir);
    h.env.putAll(telegram.settings());
  }

  @AfterEach
  void tearDown() {
    h.close();
    telegram.close();
  }

  private void openAlert(String job) {
    h.fail(job, "exit 1");
    h.fail(job, "exit 1");
  }

  @Test
  void aTelegramOutageQueuesTheNotificationAndARestartDeliversItExactlyOnce() {
    telegram.status.set(500);
    h.start();
    openAlert("backup-db");
    await().atMost(Duration.ofSeconds(10)).until(() -> !telegram.requests.isEmpty());
    assertThat(telegram.accepted()).isEmpty();
    assertThat(h.waiting()).isEqualTo(1);
    assertThat(h.given("delivered_at IS NULL")).singleElement().satisfies(e -> {
      assertThat(e.attempts()).isEqualTo(1);
      assertThat(e.lastError()).contains("HTTP 500").doesNotContain(FakeTelegram.TOKEN);
      assertThat(e.nextAttemptAt()).isEqualTo(h.clock.instant().plus(OutboxSender.FIRST_RETRY));
    });
    // Before the backoff has passed, nothing is retried.
    assertThat(h.deliver()).isZero();
    assertThat(telegram.requests).hasSize(1);

    h.stop();
    telegram.status.set(200);
    h.clock.advance(Duration.ofMinutes(1));
    h.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> h.waiting() == 0);
    assertThat(h.deliver()).isZero();
    assertThat(telegram.texts()).singleElement().satisfies(t -> assertThat(t).contains("ALERT: job backup-db"));
    assertThat(h.given("delivered_at IS NOT NULL")).singleElement().satisfies(e -> assertThat(e.attempts()).isEqualTo(2));
  }

  @Test
  void aChannelThatIsDownIsRetriedWithBackoffAndKeepsOrder() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    telegram.close();
    h.env.put("PULSE_TELEGRAM_API_URL", "http://127.0.0.1:" + port);
    h.start();
    openAlert("sync");
    h.ok("sync");
    await().atMost(Duration.ofSeconds(10)).until(() -> h.given("attempts > 0").size() == 1);
    OutboxEntry first = h.given("attempts > 0").get(0);
    assertThat(first.lastError()).contains("cannot reach Telegram (http://127.0.0.1:" + port + "/…)");
    assertThat(h.waiting()).isEqualTo(2); // the resolution waits behind the opening

    h.clock.advance(Duration.ofSeconds(5));
    h.deliver();
    assertThat(h.given("id = " + first.id()).get(0).attempts()).isEqualTo(2);
    assertThat(h.given("id = " + first.id()).get(0).nextAttemptAt()).isEqualTo(h.clock.instant().plusSeconds(10));

    telegram = new FakeTelegram(port);
    h.clock.advance(Duration.ofSeconds(10));
    assertThat(h.deliver()).isEqualTo(2);
    List<String> texts = telegram.texts();
    assertThat(texts).hasSize(2);
    assertThat(texts.get(0)).contains("ALERT: job sync");
    assertThat(texts.get(1)).contains("RESOLVED: job sync");
    assertThat(h.deliver()).isZero();
  }

  @Test
  void telegramRateLimitIsHonoured() {
    telegram.status.set(429);
    h.start();
    openAlert("sync");
    await().atMost(Duration.ofSeconds(10)).until(() -> h.given("attempts > 0").size() == 1);
    OutboxEntry e = h.given("attempts > 0").get(0);
    assertThat(e.nextAttemptAt()).isEqualTo(h.clock.instant().plusSeconds(7));
    assertThat(e.lastError()).contains("slow down");
  }

  @Test
  void aWrongTokenIsPermanentAndNeverShowsTheToken() {
    h.env.put("TELEGRAM_BOT_TOKEN", "999:WrongTokenValue123");
    h.start();
    openAlert("sync");
    await().atMost(Duration.ofSeconds(10)).until(() -> h.given("failed_at IS NOT NULL").size() == 1);
    OutboxEntry e = h.given("failed_at IS NOT NULL").get(0);
    assertThat(e.lastError()).contains("refused the message (HTTP 404): Not Found").contains("check TELEGRAM_BOT_TOKEN")
        .doesNotContain("WrongTokenValue123");
    assertThat(h.waiting()).isZero();
  }

  @Test
  void aWrongChatIsPermanentAndSaysWhatToCheck() {
    h.env.put("TELEGRAM_CHAT_ID", "42");
    h.start();
    openAlert("sync");
    await().atMost(Duration.ofSeconds(10)).until(() -> h.given("failed_at IS NOT NULL").size() == 1);
    assertThat(h.given("failed_at IS NOT NULL").get(0).lastError()).contains("chat not found").contains("TELEGRAM_CHAT_ID");
  }

  @Test
  void backoffDoublesUpToFifteenMinutes() {
    assertThat(OutboxSender.backoff(1)).isEqualTo(Duration.ofSeconds(5));
    assertThat(OutboxSender.backoff(2)).isEqualTo(Duration.ofSeconds(10));
    assertThat(OutboxSender.backoff(5)).isEqualTo(Duration.ofSeconds(80));
    assertThat(OutboxSender.backoff(40)).isEqualTo(Duration.ofMinutes(15));
  }

  @Test
  void theWebhookGetsSignedJson() throws Exception {
    try (Receiver hook = new Receiver()) {
      h.env.remove("TELEGRAM_BOT_TOKEN");
      h.env.remove("TELEGRAM_CHAT_ID");
      h.env.put("PULSE_ALERT_WEBHOOK_URL", hook.url("/hooks/pulse"));
      h.env.put("PULSE_ALERT_WEBHOOK_SECRET", "s3cret-hmac-key");
      h.env.put("PULSE_TRACE_URL", "https://traces.example/{trace_id}");
      h.start();
      openAlert("backup-db");
      h.ok("backup-db");
      await().atMost(Duration.ofSeconds(10)).until(() -> hook.accepted().size() == 2);
      Receiver.Request open = hook.accepted().get(0);
      assertThat(open.method()).isEqualTo("POST");
      assertThat(open.path()).isEqualTo("/hooks/pulse");
      assertThat(open.header("Content-Type")).isEqualTo("application/json");
      assertThat(open.header(WebhookChannel.SIGNATURE_HEADER))
          .isEqualTo("sha256=" + WebhookChannel.hmac("s3cret-hmac-key", open.body()));
      JsonNode j = Messages.JSON.readTree(open.body());
      assertThat(j.path("event").asText()).isEqualTo("alert.opened");
      assertThat(j.path("job").asText()).isEqualTo("backup-db");
      assertThat(j.path("failure_count").asInt()).isEqualTo(2);
      assertThat(j.path("last_error").asText()).isEqualTo("exit 1");
      assertThat(j.path("failing_since").asText()).isEqualTo(AlertsHarness.T0.toString());
      assertThat(j.path("status_url").asText()).isEqualTo("http://pulse.example:8765/");
      assertThat(j.path("trace_url").asText()).isEqualTo("https://traces.example/" + AlertsHarness.TRACE);
      JsonNode resolved = Messages.JSON.readTree(hook.accepted().get(1).body());
      assertThat(resolved.path("event").asText()).isEqualTo("alert.resolved");
      assertThat(resolved.path("state").asText()).isEqualTo("resolved");
    }
  }

  @Test
  void pingsReportStartSuccessAndFailureWithTheOutputTail() throws Exception {
    try (Receiver hc = new Receiver(); Receiver other = new Receiver()) {
      h.env.put("PULSE_JOB_BACKUP_DB_PING_URL", hc.url("/ping/5f1c-uuid"));
      h.env.put("PULSE_PING_URL_TEMPLATE", other.url("/ping-key/{job}"));
      h.start();
      h.ok("backup-db");
      h.run("backup-db", true, "restic exited with 1", "Fatal: unable to open config file");
      h.ok("sync");
      await().atMost(Duration.ofSeconds(10)).until(() -> hc.requests.size() == 4 && other.requests.size() == 2);
      assertThat(hc.requests).extracting(Receiver.Request::path)
          .containsExactly("/ping/5f1c-uuid/start", "/ping/5f1c-uuid", "/ping/5f1c-uuid/start", "/ping/5f1c-uuid/fail");
      assertThat(hc.requests.get(3).body()).isEqualTo("Fatal: unable to open config file");
      assertThat(hc.requests.get(1).body()).isEqualTo("all good");
      assertThat(other.requests).extracting(Receiver.Request::path).containsExactly("/ping-key/sync/start", "/ping-key/sync");
    }
  }

  @Test
  void aPingReceiverOutageDoesNotBlockTheJobAndIsRetried() throws Exception {
    try (Receiver hc = new Receiver()) {
      hc.status.set(503);
      h.env.put("PULSE_JOB_SYNC_PING_URL", hc.url("/p/sync"));
      h.start();
      long t = System.nanoTime();
      h.ok("sync");
      assertThat(Duration.ofNanos(System.nanoTime() - t)).isLessThan(Duration.ofSeconds(2));
      await().atMost(Duration.ofSeconds(10)).until(() -> hc.requests.size() == 1);
      hc.status.set(200);
      h.clock.advance(Duration.ofSeconds(5));
      h.deliver();
      h.deliver();
      assertThat(hc.accepted()).extracting(Receiver.Request::path).containsExactly("/p/sync/start", "/p/sync");
    }
  }
}
