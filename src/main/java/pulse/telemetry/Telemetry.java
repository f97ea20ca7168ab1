package pulse.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.prometheus.PrometheusMetricReader;
import io.opentelemetry.instrumentation.logback.appender.v1_0.OpenTelemetryAppender;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pulse.config.Redactor;

/**
 * OpenTelemetry for the process: the SDK set up by autoconfigure (so every standard {@code OTEL_*}
 * variable works, from the environment or the env file), Pulse's defaults on top (service name,
 * Logfire, no exporter when nothing is configured), a Prometheus reader for {@code GET /metrics},
 * and the Logback bridge. One instance per process; {@link #close()} flushes everything pending.
 */
public final class Telemetry implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Telemetry.class);
  static final AttributeKey<String> SERVICE_VERSION = AttributeKey.stringKey("service.version");
  /** How long close() waits for the last export; systemd's stop timeout is longer. */
  static final long CLOSE_TIMEOUT_SECONDS = 5;
  public static final String PROMETHEUS_CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

  private final OpenTelemetry otel;
  private final OpenTelemetrySdk sdk;
  private final PrometheusMetricReader prometheus;
  private final JobMetrics metrics;
  private final String description;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Telemetry(OpenTelemetry otel, OpenTelemetrySdk sdk, PrometheusMetricReader prometheus, String description) {
    this.otel = otel;
    this.sdk = sdk;
    this.prometheus = prometheus;
    this.description = description;
    this.metrics = new JobMetrics(otel.getMeter("pulse"));
  }

  /**
   * Starts the SDK. Never throws: a bad {@code OTEL_*} value is logged and Pulse runs without
   * exporting (spans still get trace ids, {@code /metrics} still works).
   *
   * @param settings the merged settings (env file overlaid by the process environment)
   */
  public static Telemetry start(Map<String, String> settings, String serviceVersion) {
    ExportConfig export = ExportConfig.from(settings);
    PrometheusMetricReader prometheus = PrometheusMetricReader.builder().setOtelScopeLabelsEnabled(false).build();
    JulBridge.install();
    OpenTelemetrySdk sdk;
    String description = export.description();
    try {
      sdk = AutoConfiguredOpenTelemetrySdk.builder()
          .addPropertiesSupplier(export::properties) // lowest priority: the process environment wins
          .addResourceCustomizer((r, c) -> r.getAttribute(SERVICE_VERSION) != null ? r
              : r.merge(Resource.builder().put(SERVICE_VERSION, serviceVersion).build()))
          .addMeterProviderCustomizer((b, c) -> b.registerMetricReader(prometheus))
          .addSpanExporterCustomizer((e, c) -> new RedactingSpanExporter(e))
          .addLogRecordExporterCustomizer((e, c) -> new RedactingLogRecordExporter(e))
          .disableShutdownHook() // ours runs after the jobs stopped, so their spans are flushed too
          .setServiceClassLoader(Telemetry.class.getClassLoader())
          .build()
          .getOpenTelemetrySdk();
    } catch (RuntimeException e) {
      description = "nothing exported: the OpenTelemetry settings were refused (" + Redactor.redactText(rootMessage(e))
          + "); Prometheus text at /metrics";
      log.error("{}. Fix the OTEL_* settings (https://opentelemetry.io/docs/languages/java/configuration/);"
          + " Pulse runs on without exporting.", description);
      sdk = OpenTelemetrySdk.builder()
          .setTracerProvider(SdkTracerProvider.builder().build())
          .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(prometheus).build())
          .build();
    }
    OpenTelemetryAppender.install(sdk);
    return new Telemetry(sdk, sdk, prometheus, description);
  }

  /** Autoconfigure wraps the useful message ("Unrecognized value for otel.exporter.otlp.protocol: ...") in causes. */
  static String rootMessage(Throwable e) {
    String msg = String.valueOf(e.getMessage());
    for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      if (c.getMessage() != null) {
        msg = c.getMessage();
      }
    }
    if (msg.contains("GrpcSenderProvider")) {
      return "Pulse sends OTLP over HTTP only; set OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf and the collector's HTTP port, usually 4318";
    }
    return msg;
  }

  /** No SDK at all: tests and commands that export nothing. */
  public static Telemetry disabled() {
    return new Telemetry(OpenTelemetry.noop(), null, null, "disabled");
  }

  /** An SDK built by the caller (tests with in-memory exporters). */
  public static Telemetry of(OpenTelemetrySdk sdk) {
    return new Telemetry(sdk, sdk, null, "custom SDK");
  }

  public OpenTelemetry openTelemetry() {
    return otel;
  }

  public Tracer tracer() {
    return otel.getTracer("pulse");
  }

  public JobMetrics metrics() {
    return metrics;
  }

  /** Where traces, metrics and logs go, for the startup log; holds no secrets. */
  public String exporterDescription() {
    return description;
  }

  /** The metrics in Prometheus text format, for {@code GET /metrics}. */
  public String prometheusText() {
    if (prometheus == null) {
      return "";
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      PrometheusTextFormatWriter.create().write(out, prometheus.collect(), EscapingScheme.UNDERSCORE_ESCAPING);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** Flushes every pending span, metric and log record, then stops the SDK; waits a few seconds at most. */
  @Override
  public void close() {
    if (sdk == null || !closed.compareAndSet(false, true)) {
      return;
    }
    OpenTelemetryAppender.install(OpenTelemetry.noop()); // log lines after this point stay local
    if (!sdk.shutdown().join(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS).isSuccess()) {
      log.warn("Not everything pending could be exported within {}s; the rest is dropped.", CLOSE_TIMEOUT_SECONDS);
    }
  }
}
