package pulse.jobs.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.config.ConfigException;
import pulse.config.MapSettings;
import pulse.core.Discovery;
import pulse.testing.TestConfigs;
import pulse.testing.TestJob;

/** The PULSE_CHECK_* syntax: good entries parse with their defaults, each bad entry gets one clear line. */
class CheckSyntaxTest {
  @TempDir Path dir;

  private static CheckSyntax.Parsed parse(Map<String, String> env) {
    return CheckSyntax.parse(new MapSettings(env, Map.of()), Set.of("backup", "health"));
  }

  static Map<String, String> env(String... kv) {
    Map<String, String> m = new java.util.HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void everyKindParsesWithItsOptionsAndDefaults() {
    CheckSyntax.Parsed p = parse(env(
        "PULSE_CHECK_WEB", "https://example.org/health",
        "PULSE_CHECK_WEB_EXPECT_STATUS", "200,3xx",
        "PULSE_CHECK_WEB_MAX_LATENCY", "500ms",
        "PULSE_CHECK_DB", "postgres://monitor@127.0.0.1:5432/app",
        "PULSE_CHECK_DB_PASSWORD", "s3cret-pw",
        "PULSE_CHECK_SSH", "tcp://host.internal:22",
        "PULSE_CHECK_ROOT", "disk:/",
        "PULSE_CHECK_CRON", "cmd:/usr/local/bin/x --flag 'two words'",
        "PULSE_CHECK_NGINX", "systemd:nginx.service",
        "PULSE_CHECK_BACKUP_FRESH", "job:backup",
        "PULSE_CHECK_BACKUP_FRESH_MAX_AGE", "2h"));
    assertThat(p.problems()).isEmpty();
    assertThat(p.checks()).extracting(CheckDefinition::name)
        .containsExactly("backup_fresh", "cron", "db", "nginx", "root", "ssh", "web");
    CheckDefinition web = p.checks().stream().filter(c -> c.name().equals("web")).findFirst().orElseThrow();
    assertThat(web.kind()).isEqualTo(CheckKind.HTTP);
    assertThat(web.timeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(web.integer(CheckOption.TLS_WARN_DAYS)).contains(14);
    assertThat(web.bool(CheckOption.FOLLOW_REDIRECTS)).isFalse();
    assertThat(StatusRanges.parse(web.option(CheckOption.EXPECT_STATUS).orElseThrow()).accepts(302)).isTrue();
    CheckDefinition fresh = p.checks().get(0);
    assertThat(fresh.kind()).isEqualTo(CheckKind.JOB);
    assertThat(fresh.duration(CheckOption.MAX_AGE)).contains(Duration.ofHours(2));
    assertThat(CheckSyntax.argv("/usr/local/bin/x --flag 'two words' \"a b\"c"))
        .containsExactly("/usr/local/bin/x", "--flag", "two words", "a bc");
  }

  @Test
  void eachBadEntryIsOneLineWithKeyValueAndFix() {
    CheckSyntax.Parsed p = parse(Map.ofEntries(
        Map.entry("PULSE_CHECK_WEB", "htp://example.org"),
        Map.entry("PULSE_CHECK_API", "https://example.org/health"),
        Map.entry("PULSE_CHECK_API_TIMEOUT", "soon"),
        Map.entry("PULSE_CHECK_API_EXPECT_STATUS", "200-2999"),
        Map.entry("PULSE_CHECK_API_MIN_FREE_BYTES", "5GB"),
        Map.entry("PULSE_CHECK_SSH", "tcp://host"),
        Map.entry("PULSE_CHECK_DB", "postgres://u:hunter22@127.0.0.1/app"),
        Map.entry("PULSE_CHECK_ROOT", "disk:relative/path"),
        Map.entry("PULSE_CHECK_ROOT_MIN_FREE_BYTES", "lots"),
        Map.entry("PULSE_CHECK_CRON", "cmd:/bin/x 'unclosed"),
        Map.entry("PULSE_CHECK_FRESH", "job:nightly"),
        Map.entry("PULSE_CHECK_GONE_TIMEOUT", "5s"),
        Map.entry("PULSE_CHECK_NGINX", "systemd:nginx.service"),
        Map.entry("PULSE_CHECK_NGINX_FAILURES", "0"),
        Map.entry("PULSE_CHECK_lower", "tcp://a:1")));
    assertThat(p.problems()).containsExactlyInAnyOrder(
        "PULSE_CHECK_API_EXPECT_STATUS='200-2999': '200-2999' is not a status; write codes, ranges or classes such as 200, 200-299, 2xx or 200,301",
        "PULSE_CHECK_API_MIN_FREE_BYTES='5GB': MIN_FREE_BYTES applies to disk checks only, and PULSE_CHECK_API is a http(s) check; remove it",
        "PULSE_CHECK_API_TIMEOUT='soon': 'soon' is not a duration; write it like 30s, 5m, 2h, 7d, 1h30m or PT1H",
        "PULSE_CHECK_CRON='cmd:/bin/x 'unclosed': has an unclosed ' quote; close it (no shell runs: quotes only group words)",
        "PULSE_CHECK_DB=postgres://127.0.0.1/app: has a password in the URL, which would not be redacted; move it to PULSE_CHECK_DB_PASSWORD",
        "PULSE_CHECK_FRESH='job:nightly': there is no job 'nightly'; use one of: backup, health ('pulse jobs' lists them)",
        "PULSE_CHECK_FRESH_MAX_AGE is not set: a job check needs the longest acceptable time since the job last succeeded; set it, such as PULSE_CHECK_FRESH_MAX_AGE=26h",
        "PULSE_CHECK_GONE_TIMEOUT: sets TIMEOUT of check GONE, but PULSE_CHECK_GONE is not set; set PULSE_CHECK_GONE=<spec> or remove this key (a check name may not end in _TIMEOUT)",
        "PULSE_CHECK_NGINX_FAILURES='0': out of range; use a whole number from 1 to 1000",
        "PULSE_CHECK_ROOT='disk:relative/path': needs an absolute path; write it like disk:/var/lib",
        "PULSE_CHECK_ROOT_MIN_FREE_BYTES='lots': not a size; write it like 500MB, 5GB, 1.5TiB or a number of bytes",
        "PULSE_CHECK_SSH='tcp://host': not host:port; write it like tcp://db.internal:5432",
        "PULSE_CHECK_WEB='htp://example.org': not a check spec; start it with one of http://, https://, tcp://, postgres://, disk:, cmd:, systemd: or job: (for example PULSE_CHECK_WEB=https://example.org/health)",
        "PULSE_CHECK_lower: not a check name; write PULSE_CHECK_<NAME>=<spec> with NAME in upper-case letters, digits and single underscores, such as PULSE_CHECK_WEB=https://example.org/health");
    assertThat(String.join("\n", p.problems())).doesNotContain("hunter22");
    assertThat(p.checks()).isEmpty(); // a check with any bad entry is left out whole
  }

  @Test
  void aPasswordOptionIsNeverEchoed() {
    CheckSyntax.Parsed p = parse(Map.of("PULSE_CHECK_WEB", "https://example.org", "PULSE_CHECK_WEB_PASSWORD", "topsecret-1"));
    assertThat(p.problems()).containsExactly(
        "PULSE_CHECK_WEB_PASSWORD=****: PASSWORD applies to postgres checks only, and PULSE_CHECK_WEB is a http(s) check; remove it");
  }

  @Test
  void aCaFileMustHoldCertificates() throws Exception {
    Path notPem = Files.writeString(dir.resolve("ca.pem"), "hello");
    CheckSyntax.Parsed p = parse(Map.of("PULSE_CHECK_WEB", "https://example.org", "PULSE_CHECK_WEB_CA_FILE", notPem.toString()));
    assertThat(p.problems()).singleElement().asString()
        .startsWith("PULSE_CHECK_WEB_CA_FILE='" + notPem + "': cannot read CA certificates (")
        .endsWith("give a readable PEM file with one or more -----BEGIN CERTIFICATE----- blocks");
  }

  @Test
  void startupStopsWithEveryProblemAndTheUnknownJobNamed() {
    HealthExtension health = new HealthExtension();
    Discovery.Found found = new Discovery.Found(
        List.of(new TestJob("backup", "@daily", ctx -> {}), health.jobs().get(0)), List.of(health),
        Map.of("backup", "test", "health", "built-in"), List.of());
    assertThatThrownBy(() -> TestConfigs.config(dir, found, Map.of(
        "PULSE_CHECK_FRESH", "job:backpu", "PULSE_CHECK_FRESH_MAX_AGE", "2h", "PULSE_CHECK_WEB", "https://example.org",
        "PULSE_CHECK_WEB_TIMEOUT", "1h", "PULSE_HEALTH_PARALLELISM", "0")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("PULSE_CHECK_FRESH='job:backpu': there is no job 'backpu'; use one of: backup, health")
        .hasMessageContaining("PULSE_CHECK_WEB_TIMEOUT='1h': longer than 10m; a check that slow delays every other; use less")
        .hasMessageContaining("PULSE_HEALTH_PARALLELISM='0': out of range; use a number from 1 to 64");
    // the same keys, right, are accepted and not reported as unknown
    TestConfigs.config(dir, found, Map.of("PULSE_CHECK_FRESH", "job:backup", "PULSE_CHECK_FRESH_MAX_AGE", "2h",
        "PULSE_CHECK_FRESH_FAILURES", "3"));
  }

  @Test
  void noChecksMeansTheJobIsDisabledWithTheReason() {
    HealthJob job = (HealthJob) new HealthExtension().jobs().get(0);
    assertThat(job.unavailableReason(new MapSettings(Map.of(), Map.of())))
        .contains("no checks configured (set PULSE_CHECK_<NAME>=...)");
    assertThat(job.unavailableReason(new MapSettings(Map.of("PULSE_CHECK_ROOT", "disk:/"), Map.of()))).isEmpty();
  }

  @Test
  void sizesAndStatusesReadAsPeopleWriteThem() {
    assertThat(Sizes.parse("5GB")).isEqualTo(5_000_000_000L);
    assertThat(Sizes.parse("1.5KiB")).isEqualTo(1536);
    assertThat(Sizes.parse("1048576")).isEqualTo(1_048_576);
    assertThat(Sizes.format(3_210_000_000L)).isEqualTo("3.2 GB");
    StatusRanges s = StatusRanges.parse("200-204, 301");
    assertThat(s.accepts(204)).isTrue();
    assertThat(s.accepts(205)).isFalse();
    assertThat(s.accepts(301)).isTrue();
  }
}
