package pulse.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ExportConfigTest {
  private static final String US_TOKEN = "pylf_v1_us_AbCdEf0123456789xyz";
  private static final String EU_TOKEN = "pylf_v1_eu_ZyXwVu9876543210abc";

  @Test
  void nothingConfiguredExportsNothing() {
    ExportConfig c = ExportConfig.from(Map.of("PULSE_LOG_LEVEL", "info"));
    assertThat(c.properties())
        .containsEntry("otel.traces.exporter", "none")
        .containsEntry("otel.metrics.exporter", "none")
        .containsEntry("otel.logs.exporter", "none")
        .containsEntry("otel.service.name", "pulse")
        .doesNotContainKey("otel.exporter.otlp.endpoint");
    assertThat(c.description()).startsWith("nothing exported").contains("OTEL_EXPORTER_OTLP_ENDPOINT", "LOGFIRE_TOKEN");
  }

  @Test
  void logfireTokenAloneSendsOtlpHttpToTheUsEndpointWithTheBareToken() {
    ExportConfig c = ExportConfig.from(Map.of("LOGFIRE_TOKEN", US_TOKEN));
    assertThat(c.properties())
        .containsEntry("otel.exporter.otlp.endpoint", "https://logfire-us.pydantic.dev")
        .containsEntry("otel.exporter.otlp.protocol", "http/protobuf")
        .containsEntry("otel.exporter.otlp.headers", "Authorization=" + US_TOKEN)
        .containsEntry("otel.traces.exporter", "otlp")
        .containsEntry("otel.metrics.exporter", "otlp")
        .containsEntry("otel.logs.exporter", "otlp");
    assertThat(c.properties().get("otel.exporter.otlp.headers")).doesNotContain("Bearer");
    assertThat(c.description()).contains("https://logfire-us.pydantic.dev", "Logfire").doesNotContain(US_TOKEN);
  }

  @Test
  void anEuTokenGoesToTheEuEndpoint() {
    assertThat(ExportConfig.from(Map.of("LOGFIRE_TOKEN", EU_TOKEN)).properties())
        .containsEntry("otel.exporter.otlp.endpoint", "https://logfire-eu.pydantic.dev");
    assertThat(ExportConfig.logfireUrl("an-old-token-without-region")).isEqualTo(ExportConfig.LOGFIRE_US);
  }

  @Test
  void logfireBaseUrlOverridesTheRegion() {
    assertThat(ExportConfig.from(Map.of("LOGFIRE_TOKEN", EU_TOKEN, "LOGFIRE_BASE_URL", "https://logfire.example")).properties())
        .containsEntry("otel.exporter.otlp.endpoint", "https://logfire.example");
  }

  @Test
  void anExplicitOtlpEndpointWinsAndTheLogfireTokenIsNotSentThere() {
    ExportConfig c = ExportConfig.from(Map.of("LOGFIRE_TOKEN", US_TOKEN, "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318"));
    assertThat(c.properties())
        .containsEntry("otel.exporter.otlp.endpoint", "http://127.0.0.1:4318")
        .doesNotContainKey("otel.exporter.otlp.headers")
        .containsEntry("otel.traces.exporter", "otlp");
    assertThat(c.description()).contains("LOGFIRE_TOKEN ignored");
  }

  @Test
  void otelVariablesBecomePropertiesAndExplicitExporterChoicesStand() {
    ExportConfig c = ExportConfig.from(Map.of(
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://tempo:4318/v1/traces",
        "OTEL_BSP_SCHEDULE_DELAY", "200",
        "OTEL_LOGS_EXPORTER", "console",
        "OTEL_SERVICE_NAME", "pulse-backup-host"));
    assertThat(c.properties())
        .containsEntry("otel.exporter.otlp.traces.endpoint", "http://tempo:4318/v1/traces")
        .containsEntry("otel.bsp.schedule.delay", "200")
        .containsEntry("otel.traces.exporter", "otlp")
        .containsEntry("otel.metrics.exporter", "none")
        .containsEntry("otel.logs.exporter", "console")
        .containsEntry("otel.service.name", "pulse-backup-host");
    assertThat(c.description()).contains("traces via OTLP http/protobuf to http://tempo:4318/v1/traces", "logs via console",
        "no export of metrics");
  }

  @Test
  void theDescriptionShowsNoCredentialsFromTheEndpointOrHeaders() {
    ExportConfig c = ExportConfig.from(Map.of(
        "OTEL_EXPORTER_OTLP_ENDPOINT", "https://user:hunter22@api.honeycomb.io:443/?key=abc123",
        "OTEL_EXPORTER_OTLP_HEADERS", "x-honeycomb-team=team-key-123456"));
    assertThat(c.description()).contains("https://api.honeycomb.io:443/")
        .doesNotContain("hunter22", "abc123", "team-key-123456");
  }
}
