package pulse.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.api.Setting;
import pulse.config.ConfigException;
import pulse.config.ConfigLoader;
import pulse.config.EnvSources;
import pulse.config.PulseConfig;

/** Alerting settings through the real ConfigLoader: owned per-job keys, checks, and the README. */
class AlertSettingsTest {
  @TempDir Path dir;

  private PulseConfig load(Map<String, String> env) {
    AlertsExtension x = new AlertsExtension();
    Map<String, String> all = new HashMap<>(env);
    all.put("PULSE_STATE_DIR", dir.toString());
    return ConfigLoader.load(new EnvSources(Map.of(), all, Optional.empty()), x.settings(), List.of("backup-db"), List.of(x));
  }

  private List<String> problems(Map<String, String> env) {
    try {
      load(env);
      return List.of();
    } catch (ConfigException e) {
      return e.problems();
    }
  }

  @Test
  void perJobKeysAreOwnedAndChecked() {
    PulseConfig ok = load(Map.of("PULSE_JOB_BACKUP_DB_ALERT_FAILURES", "3", "PULSE_JOB_BACKUP_DB_PING_URL", "https://hc-ping.com/abc"));
    AlertConfig c = AlertConfig.from(ok.settings());
    assertThat(c.threshold("job:backup-db")).isEqualTo(3);
    assertThat(c.threshold("job:other")).isEqualTo(2);
    assertThat(c.pingUrl("backup-db")).contains("https://hc-ping.com/abc");

    assertThat(problems(Map.of("PULSE_JOB_BACKUP_DB_ALERT_FAILURES", "zero")))
        .singleElement().asString().startsWith("PULSE_JOB_BACKUP_DB_ALERT_FAILURES='zero': not a whole number");
    assertThat(problems(Map.of("PULSE_JOB_BACKUP_DB_PING_URL", "hc-ping.com/secret-uuid")))
        .singleElement().asString().contains("PULSE_JOB_BACKUP_DB_PING_URL=****").doesNotContain("secret-uuid");
    assertThat(problems(Map.of("PULSE_JOB_BACKUP_DV_ALERT_FAILURES", "3")))
        .singleElement().asString().startsWith("PULSE_JOB_BACKUP_DV_ALERT_FAILURES names no job");
    assertThat(problems(Map.of("PULSE_JOB_BACKUP_DB_ALERT_AFTER", "3")))
        .singleElement().asString().contains("is not a Pulse setting");
  }

  @Test
  void badValuesAreReportedWithTheFix() {
    assertThat(problems(Map.of("PULSE_ALERT_FAILURES", "0"))).singleElement().asString()
        .contains("PULSE_ALERT_FAILURES='0': must be at least 1");
    assertThat(problems(Map.of("PULSE_ALERT_REMIND", "often"))).singleElement().asString()
        .contains("PULSE_ALERT_REMIND='often': not a duration");
    assertThat(problems(Map.of("TELEGRAM_BOT_TOKEN", "123:abcdefghij"))).singleElement().asString()
        .contains("TELEGRAM_CHAT_ID is not set").doesNotContain("abcdefghij");
    assertThat(problems(Map.of("PULSE_ALERT_WEBHOOK_SECRET", "hmac-key-123"))).singleElement().asString()
        .contains("PULSE_ALERT_WEBHOOK_URL is not").doesNotContain("hmac-key-123");
    assertThat(problems(Map.of("PULSE_PING_URL_TEMPLATE", "https://hc-ping.com/key/x"))).singleElement().asString()
        .contains("has no {job}");
    assertThat(problems(Map.of("PULSE_ALERT_WEBHOOK_URL", "not a url"))).singleElement().asString()
        .contains("PULSE_ALERT_WEBHOOK_URL");
  }

  @Test
  void defaultsAndLinks() {
    AlertConfig c = AlertConfig.from(load(Map.of("PULSE_TRACE_URL", "https://t.example/{trace_id}", "PULSE_API_PORT", "9000")).settings());
    assertThat(c.failures()).isEqualTo(2);
    assertThat(c.remind()).isEmpty();
    assertThat(c.flapCount()).isEqualTo(3);
    assertThat(c.flapWindow()).isEqualTo(Duration.ofHours(1));
    assertThat(c.statusUrl()).isEqualTo("http://127.0.0.1:9000/");
    assertThat(c.traceLink("abc123")).contains("https://t.example/abc123");
    assertThat(c.traceLink("00000000000000000000000000000000")).isEmpty();
    assertThat(c.hasAlertChannel()).isFalse();
  }

  @Test
  void theTelegramTokenIsASecretAndNeverInToString() {
    PulseConfig p = load(Map.of("TELEGRAM_BOT_TOKEN", "123:abcdefghij", "TELEGRAM_CHAT_ID", "5"));
    assertThat(p.redactor().redact("x 123:abcdefghij y")).isEqualTo("x **** y");
    assertThat(AlertConfig.from(p.settings()).toString()).doesNotContain("abcdefghij");
    assertThatThrownBy(() -> new TelegramChannel(new AlertConfig.Telegram("http://127.0.0.1:1", "123:abcdefghij", "5"))
        .deliver("{\"text\":\"hi\"}")).isInstanceOf(DeliveryException.class).hasMessageNotContaining("abcdefghij");
  }

  @Test
  void everyAlertSettingIsInTheReadmeTable() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    for (Setting s : AlertSettings.ALL) {
      assertThat(readme).as("README documents %s", s.key()).contains("| `" + s.key() + "` |");
    }
    assertThat(readme).contains("| `PULSE_JOB_<ID>_ALERT_FAILURES` |").contains("| `PULSE_JOB_<ID>_PING_URL` |");
  }
}
