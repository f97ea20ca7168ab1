package pulse.jobs.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.context.Context;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import pulse.api.ApiRequest;
import pulse.api.CommandContext;
import pulse.api.Settings;
import pulse.config.ConfigLoader;
import pulse.config.EnvSources;
import pulse.config.MapSettings;
import pulse.config.PulseConfig;
import pulse.core.Discovery;

/** {@code pulse checks} prints the API's answer as a table; env-file check specs are not treated as secrets. */
class ChecksCommandTest {
  @TempDir Path dir;

  @Test
  void pulseChecksPrintsEveryCheckAndExitsOneWhileOneFails() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    MapSettings settings = new MapSettings(CheckSyntaxTest.env("PULSE_CHECK_DOWN", "tcp://127.0.0.1:" + closed,
        "PULSE_CHECK_TMP", "disk:" + dir, "PULSE_CHECK_TMP_MIN_FREE_PERCENT", "0"), Map.of());
    String json;
    try (HealthRuntime rt = HealthExtension.standalone(settings)) {
      rt.runAll(Context.root());
      json = new ObjectMapper().writeValueAsString(Map.of("checks", rt.results().stream().map(CheckResult::json).toList()));
    }
    CommandContext api = new CommandContext() {
      @Override
      public Settings settings() {
        return settings;
      }

      @Override
      public Response get(String path) {
        assertThat(path).isEqualTo("/api/checks");
        return new Response(200, json);
      }

      @Override
      public Response post(String path, String body) {
        throw new AssertionError("no writes");
      }

      @Override
      public Response delete(String path) {
        throw new AssertionError("no writes");
      }
    };
    StringWriter out = new StringWriter();
    CommandLine cl = new CommandLine(new HealthExtension().commands(api).get(0));
    cl.setOut(new PrintWriter(out));
    int code = cl.execute();
    assertThat(code).isEqualTo(1);
    assertThat(out.toString()).startsWith("STATE    CHECK")
        .containsPattern("FAILED\\s+down\\s+\\S+\\s+\\d+ ms\\s+127\\.0\\.0\\.1:" + closed + " refused the connection")
        .containsPattern("ok\\s+tmp\\s+\\S+\\s+\\d+ ms\\s+" + java.util.regex.Pattern.quote(dir.toString()) + " has ");
  }

  @Test
  void theApiAnswersNotStartedBeforeTheDaemonStartsTheChecks() {
    HealthExtension health = new HealthExtension();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> health.routes().get(0).handler()
            .handle(new ApiRequest("GET", "/api/checks", Map.of(), Map.of(), new byte[0], null)))
        .isInstanceOf(pulse.api.ApiException.class).hasMessage("the health checks are not started yet");
  }

  @Test
  void envFileCheckSpecsAreNotSecretsButTheirPasswordsAre() {
    HealthExtension health = new HealthExtension();
    Discovery.Found found = new Discovery.Found(List.of(health.jobs().get(0)), List.of(health), Map.of("health", "built-in"),
        List.of());
    Map<String, String> file = Map.of("PULSE_CHECK_DB", "postgres://monitor@db.internal:5432/app",
        "PULSE_CHECK_DB_PASSWORD", "pg-password-123");
    PulseConfig c = ConfigLoader.load(new EnvSources(file, Map.of("PULSE_STATE_DIR", dir.toString()), Optional.empty()),
        found.declaredSettings(), found.jobIds(), found.extensions());
    assertThat(c.redactor().redact("cannot reach postgres://monitor@db.internal:5432/app with pg-password-123"))
        .isEqualTo("cannot reach postgres://monitor@db.internal:5432/app with ****");
  }
}
