package pulse.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import java.util.Map;

/** Placeholder until the telemetry branch lands. */
public final class Telemetry implements AutoCloseable {
  private final OpenTelemetry otel;

  private Telemetry(OpenTelemetry otel) {
    this.otel = otel;
  }

  public static Telemetry start(Map<String, String> settings, String serviceVersion) {
    return disabled();
  }

  public static Telemetry disabled() {
    return new Telemetry(OpenTelemetry.noop());
  }

  public OpenTelemetry openTelemetry() {
    return otel;
  }

  public Tracer tracer() {
    return otel.getTracer("pulse");
  }

  public JobMetrics metrics() {
    return new JobMetrics();
  }

  public String exporterDescription() {
    return "none";
  }

  public String prometheusText() {
    return "";
  }

  @Override
  public void close() {}
}
