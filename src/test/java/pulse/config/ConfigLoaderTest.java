package pulse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.api.Setting;

class ConfigLoaderTest {
  @TempDir Path dir;

  private PulseConfig load(Map<String, String> env, List<Setting> declared, List<String> ids) {
    return ConfigLoader.load(new EnvSources(Map.of(), env, Optional.empty()), declared, ids);
  }

  @Test
  void defaultsApplyWhenNothingIsSet() {
    PulseConfig c = load(Map.of("PULSE_STATE_DIR", dir.toString()), List.of(), List.of());
    assertThat(c.api().host()).isEqualTo("127.0.0.1");
    assertThat(c.api().port()).isEqualTo(8765);
    assertThat(c.api().token()).isEmpty();
    assertThat(c.api().url().toString()).isEqualTo("http://127.0.0.1:8765");
    assertThat(c.historyRetention()).isEqualTo(Duration.ofDays(30));
    assertThat(c.scheduler().misfireGrace()).isEqualTo(Duration.ofHours(1));
    assertThat(c.stateDir()).isEqualTo(dir);
    assertThat(c.pluginsDir()).isEqualTo(dir.resolve("plugins"));
  }

  @Test
  void stateDirFollowsSystemdThenHome() {
    assertThat(ConfigLoader.stateDir(Map.of("STATE_DIRECTORY", "/var/lib/pulse:/var/lib/other")))
        .isEqualTo(Path.of("/var/lib/pulse"));
    assertThat(ConfigLoader.stateDir(Map.of())).isEqualTo(Path.of(System.getProperty("user.home"), ".local/state/pulse"));
  }

  @Test
  void unknownKeyNamesTheClosestKnownOne() {
    assertThatThrownBy(() -> load(Map.of("PULSE_API_PROT", "1"), List.of(), List.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("PULSE_API_PROT is not a Pulse setting; did you mean PULSE_API_PORT?");
    assertThatThrownBy(() -> load(Map.of("PULSE_JOB_BACKUP_SCHEDUL", "@daily"), List.of(), List.of("backup")))
        .hasMessageContaining("did you mean PULSE_JOB_BACKUP_SCHEDULE?");
  }

  @Test
  void everyProblemIsReportedOnItsOwnLineWithKeyValueAndFix() {
    ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () -> load(
        Map.of("PULSE_API_PORT", "99999", "PULSE_HISTORY_RETENTION", "a month", "PULSE_TIMEZONE", "Mars/Olympus",
            "PULSE_JOB_X_SCHEDULE", "whenever", "PULSE_LOG_LEVEL", "loud"), List.of(), List.of("x")));
    assertThat(e.problems()).hasSize(5);
    assertThat(e.problems()).anySatisfy(p -> assertThat(p).isEqualTo(
        "PULSE_API_PORT='99999': out of range; use a number from 0 to 65535"));
    assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("PULSE_HISTORY_RETENTION='a month': not a duration"));
    assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("PULSE_TIMEZONE='Mars/Olympus'").contains("Europe/Berlin"));
    assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("PULSE_JOB_X_SCHEDULE='whenever'"));
    assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("PULSE_LOG_LEVEL='loud'"));
  }

  @Test
  void secretValuesNeverAppearInErrors() {
    Setting secret = Setting.of("PULSE_DEMO_TOKEN", Setting.Kind.INTEGER, null, "a secret number").asSecret();
    assertThatThrownBy(() -> load(Map.of("PULSE_DEMO_TOKEN", "hunter2-not-a-number"), List.of(secret), List.of()))
        .hasMessageContaining("PULSE_DEMO_TOKEN=****")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void jobOverridesAreParsed() {
    PulseConfig c = load(Map.of("PULSE_JOB_NIGHTLY_BACKUP_SCHEDULE", "0 3 * * *", "PULSE_JOB_NIGHTLY_BACKUP_ENABLED", "false",
        "PULSE_JOB_NIGHTLY_BACKUP_TIMEOUT", "2h"), List.of(), List.of("nightly-backup"));
    JobSettings j = c.job("nightly-backup");
    assertThat(j.schedule().orElseThrow().cron()).isEqualTo("0 0 3 * * ?");
    assertThat(j.enabled()).contains(false);
    assertThat(j.timeout()).contains(Duration.ofHours(2));
  }

  @Test
  void redactorCoversEnvFileValuesAndSecretNamedKeysButNotPlainSettings() {
    EnvSources src = new EnvSources(
        Map.of("DB_DSN", "postgres://u:pw@db/x", "PULSE_API_PORT", "8765"),
        Map.of("AWS_SECRET_ACCESS_KEY", "abcdefgh12345", "HOME", "/home/someone"), Optional.empty());
    PulseConfig c = ConfigLoader.load(src, List.of(), List.of());
    Redactor r = c.redactor();
    assertThat(r.redact("dsn postgres://u:pw@db/x key abcdefgh12345 port 8765 home /home/someone"))
        .isEqualTo("dsn **** key **** port 8765 home /home/someone");
    assertThat(c.effective().get("PULSE_API_TOKEN")).isEqualTo("(unset)");
  }

  @Test
  void envFileIsReadAndTheEnvironmentWins() throws IOException {
    Path f = envFile("PULSE_API_PORT=9000\nPULSE_API_HOST=127.0.0.2\nMY_PASSWORD=\"s3cr3t value\"\n", "rw-------");
    EnvSources s = EnvFileReader.read(Optional.of(f), Map.of("PULSE_API_PORT", "9100"));
    assertThat(s.merged()).containsEntry("PULSE_API_PORT", "9100").containsEntry("PULSE_API_HOST", "127.0.0.2")
        .containsEntry("MY_PASSWORD", "s3cr3t value");
    assertThat(s.file()).doesNotContainKey("HOME");
  }

  @Test
  void envFileReadableByOthersIsRefusedWithTheChmodFix() throws IOException {
    Path f = envFile("PULSE_API_TOKEN=abcdef123456\n", "rw-r--r--");
    assertThatThrownBy(() -> EnvFileReader.read(Optional.of(f), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("chmod 600 " + f)
        .hasMessageContaining("PULSE_ALLOW_INSECURE_ENV_FILE=true")
        .hasMessageNotContaining("abcdef123456");
    assertThat(EnvFileReader.read(Optional.of(f), Map.of("PULSE_ALLOW_INSECURE_ENV_FILE", "true")).file())
        .containsKey("PULSE_API_TOKEN");
  }

  @Test
  void anExplicitEnvFileMustExistButTheDefaultMayNot() {
    Path missing = dir.resolve("nope.env");
    assertThatThrownBy(() -> EnvFileReader.read(Optional.of(missing), Map.of()))
        .hasMessageContaining("--env-file=" + missing).hasMessageContaining("no such file");
    assertThatThrownBy(() -> EnvFileReader.read(Optional.empty(), Map.of("PULSE_ENV_FILE", missing.toString())))
        .hasMessageContaining("PULSE_ENV_FILE=" + missing);
  }

  @Test
  void aMalformedEnvFileLineIsReportedWithoutItsContent() throws IOException {
    Path f = envFile("GOOD=1\nthis line leaks-a-secret-xyz\n", "rw-------");
    assertThatThrownBy(() -> EnvFileReader.read(Optional.of(f), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageNotContaining("leaks-a-secret-xyz");
  }

  private Path envFile(String content, String perms) throws IOException {
    Path f = dir.resolve("pulse.env");
    Files.writeString(f, content);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(perms));
    return f;
  }

  @Test
  void secretsAreJudgedByWhatTheyAreNotWhereTheyCameFrom() {
    EnvSources src = new EnvSources(
        Map.of("PULSE_JOB_NIGHTLY_BACKUP_SCHEDULE", "every 3s", "PULSE_ALERT_WEBHOOK_URL", "https://chat.example/hook?key=sEcReTkEy99"),
        Map.of(), Optional.empty());
    PulseConfig c = ConfigLoader.load(src, List.of(pulse.api.Setting.of("PULSE_ALERT_WEBHOOK_URL", pulse.api.Setting.Kind.URL, null, "x")),
        List.of("nightly-backup"), List.of());
    Redactor r = c.redactor();
    assertThat(r.redact("schedule every 3s")).isEqualTo("schedule every 3s");
    assertThat(r.redact("hook https://chat.example/hook?key=sEcReTkEy99")).isEqualTo("hook ****");
    assertThat(c.effective().toString()).doesNotContain("sEcReTkEy99").contains("every 3s");
    assertThat(Redactor.isSecretUrlKey("PULSE_JOB_NIGHTLY_BACKUP_PING_URL")).isTrue();
    assertThat(r.redact("GET http://admin:hunter2@web.example/ failed")).isEqualTo("GET http://admin:****@web.example/ failed");
  }

  @Test
  void aConfigErrorMasksAPasswordInAUrlOnItsOwn() {
    ConfigException e = new ConfigException(List.of("PULSE_CHECK_WEB='http://admin:hunter2@web.example': bad option"));
    assertThat(e.getMessage()).doesNotContain("hunter2").contains("http://admin:****@web.example");
    assertThat(e.problems()).noneMatch(p -> p.contains("hunter2"));
  }
}
