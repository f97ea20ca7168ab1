package pulse.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The secrets that telemetry settings carry are masked like any other. */
class TelemetrySecretsTest {

  @Test
  void otlpHeaderValuesAndTheLogfireTokenAreSecretsEvenFromTheProcessEnvironment() {
    EnvSources sources = new EnvSources(Map.of(), Map.of(
        "OTEL_EXPORTER_OTLP_HEADERS", "x-honeycomb-team=hc-key-123456,x-other=a%2Fb%3Dcdef",
        "OTEL_EXPORTER_OTLP_TRACES_HEADERS", "authorization=Bearer%20trace-key-98765",
        "LOGFIRE_TOKEN", "pylf_v1_us_abcdef012345",
        "OTEL_EXPORTER_OTLP_ENDPOINT", "https://api.honeycomb.io"), Optional.empty());
    Redactor r = new Redactor(ConfigLoader.secrets(sources, Map.of()));
    String text = "hc-key-123456 a/b=cdef Bearer trace-key-98765 pylf_v1_us_abcdef012345 x-honeycomb-team https://api.honeycomb.io";
    assertThat(r.redact(text)).isEqualTo("**** **** **** **** x-honeycomb-team https://api.honeycomb.io");
  }
}
