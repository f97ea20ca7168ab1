package pulse.jobs.prompt;

import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import pulse.testing.StoreBackend;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.store.Database;

/** Telegram in and out, against a loopback server speaking the Bot API. */
@ParameterizedClass
@EnumSource(StoreBackend.class)
class TelegramTest {
  @Parameter StoreBackend backend;
  static final long CHAT = 4242;
  @TempDir Path dir;
  Database db;
  PromptQueue queue;
  FakeBotApi bot;
  PromptExtension ext;

  @BeforeEach
  void open() throws IOException {
    db = PromptTesting.database(backend, dir.resolve("state"));
    queue = new PromptQueue(db.store());
    bot = new FakeBotApi();
  }

  @AfterEach
  void close() {
    if (ext != null) {
      ext.stop();
    }
    bot.close();
    db.close();
  }

  private TelegramClient client() {
    return new TelegramClient(bot.url(), FakeBotApi.TOKEN, String.valueOf(CHAT));
  }

  @Test
  void messagesFromTheAllowedChatBecomePulsesOnceAndOthersAreIgnored() throws Exception {
    TelegramListener listener = new TelegramListener(client(), queue, () -> {}, Clock.systemUTC(), CHAT);
    bot.message(100, CHAT, "summarise my inbox");
    bot.message(101, 999, "I am a stranger: rm -rf");
    bot.message(102, CHAT, "and plan tomorrow");

    assertThat(listener.pollOnce(0)).isEqualTo(2);
    assertThat(queue.upcoming(10)).extracting(PromptPulse::prompt).containsExactlyInAnyOrder("summarise my inbox", "and plan tomorrow");
    assertThat(queue.upcoming(10)).allSatisfy(p -> assertThat(p.source()).isEqualTo("telegram"));
    assertThat(bot.sent).extracting(m -> m.path("text").asText()).allMatch(t -> t.startsWith("⏱ scheduled as pulse"));

    assertThat(listener.pollOnce(0)).isZero(); // the next call confirms them with offset 103
    assertThat(bot.offsetsAsked).containsExactly(0L, 103L);
    assertThat(bot.unconfirmed()).isZero();

    // a restarted listener (offset back to 0) that sees an unconfirmed update again stores it once
    bot.message(102, CHAT, "and plan tomorrow");
    TelegramListener restarted = new TelegramListener(client(), queue, () -> {}, Clock.systemUTC(), CHAT);
    assertThat(restarted.pollOnce(0)).isZero();
    assertThat(queue.countByStatus()).containsEntry("pending", 2L);
  }

  @Test
  void aBadTokenIsReportedWithoutTheToken() {
    TelegramClient wrong = new TelegramClient(bot.url(), "999:wrong-secret", String.valueOf(CHAT));
    assertThatThrownBy(() -> wrong.sendMessage("hi"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("refused: Not Found; check TELEGRAM_BOT_TOKEN")
        .hasMessageNotContaining("wrong-secret");
  }

  @Test
  void theStartedExtensionSendsOutcomesAndListensForMessages() throws Exception {
    Path log = dir.resolve("ran.log");
    Path recorder = PromptTesting.recorder(dir, log);
    Map<String, String> env = new HashMap<>();
    env.put(PromptSettings.COMMAND, recorder.toString());
    env.put(PromptSettings.TELEGRAM_TOKEN, FakeBotApi.TOKEN);
    env.put(PromptSettings.TELEGRAM_CHAT, String.valueOf(CHAT));
    env.put(PromptSettings.TELEGRAM_API_URL, bot.url());
    env.put(PromptSettings.TELEGRAM_NOTIFY, "true");
    env.put(PromptSettings.TELEGRAM_LISTEN, "true");
    assertThat(PromptSettings.validate(PromptTesting.settings(env))).isEmpty();
    // the outcomes go through the alerting family's outbox, as in the daemon: one Telegram client
    pulse.notify.AlertsExtension alerts = new pulse.notify.AlertsExtension();
    db.migrate(alerts.migrations().orElseThrow(), "pulse_schema_history_alerts");
    alerts.start(PromptJobsTest.context(PromptTesting.settings(env), Clock.systemUTC(), db.dataSource(), dir.resolve("state")));
    ext = new PromptExtension();
    ext.start(PromptJobsTest.context(PromptTesting.settings(env), Clock.systemUTC(), db.dataSource(), dir.resolve("state"),
        alerts.notifications().orElseThrow()));

    bot.message(1, CHAT, "water the plants");

    await().atMost(Duration.ofSeconds(10)).until(() -> PromptTesting.recorded(log).contains("water the plants"));
    await().atMost(Duration.ofSeconds(10)).until(() -> bot.sent.stream().anyMatch(m -> m.path("text").asText().startsWith("✅ pulse")));
    String outcome = bot.sent.stream().map(m -> m.path("text").asText()).filter(t -> t.startsWith("✅")).findFirst().orElseThrow();
    assertThat(outcome).contains("completed").contains("telegram").contains("water the plants").contains("ran water the plants");
    assertThat(bot.sent).allSatisfy(m -> assertThat(m.path("chat_id").asText()).isEqualTo(String.valueOf(CHAT)));
    assertThat(db.store().query("SELECT COUNT(*) FROM alert_outbox WHERE channel = 'telegram' AND delivered_at IS NOT NULL",
        r -> r.longValue(1))).as("delivered from the durable outbox").containsExactly(1L);
    alerts.stop();
  }

  @Test
  void notifyOrListenWithoutTokenOrChatIsAConfigProblem() {
    Map<String, String> env = Map.of(PromptSettings.TELEGRAM_LISTEN, "true", PromptSettings.TELEGRAM_CHAT, "@mychannel");
    List<String> problems = PromptSettings.validate(PromptTesting.settings(env));
    assertThat(problems).anyMatch(p -> p.startsWith("TELEGRAM_CHAT_ID='@mychannel' is not a chat id"));
    assertThat(problems).anyMatch(p -> p.contains("PULSE_PROMPT_TELEGRAM_LISTEN=true needs TELEGRAM_BOT_TOKEN and TELEGRAM_CHAT_ID"));
  }

  @Test
  void anOutcomeMessageCarriesStatusPromptErrorAndTail() {
    PromptPulse p = new PromptPulse(7, "check backups", Instant.now(), Priority.HIGH, "api", List.of(), null, PulseStatus.FAILED,
        3, null, null, 1, null, null, null, null, null, null, null, null, null);
    String text = TelegramNotifier.message(new PromptExecutor.Outcome(p,
        new Attempt(false, 1, "exited with 1: no route", "line 1\nno route", null, 4200), PulseStatus.FAILED, null));
    assertThat(text).startsWith("❌ pulse 7 failed (high, api, attempt 3, 4s)").contains("» check backups")
        .contains("error: exited with 1: no route").endsWith("line 1\nno route");
  }
}
