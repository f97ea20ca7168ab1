package pulse.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * A real OTLP/HTTP receiver on loopback: the JDK's HttpServer decoding protobuf requests on
 * {@code /v1/traces}, {@code /v1/metrics} and {@code /v1/logs} with the OTLP proto classes, as a
 * collector would. Keeps every request, its headers and its raw bytes (to search them for secrets).
 */
public final class OtlpReceiver implements AutoCloseable {
  private final HttpServer server;
  public final List<ExportTraceServiceRequest> traces = new CopyOnWriteArrayList<>();
  public final List<ExportMetricsServiceRequest> metrics = new CopyOnWriteArrayList<>();
  public final List<ExportLogsServiceRequest> logs = new CopyOnWriteArrayList<>();
  /** Each request's headers (first value per name, lower-case names). */
  public final List<Map<String, String>> headers = new CopyOnWriteArrayList<>();
  private final List<byte[]> raw = new CopyOnWriteArrayList<>();

  public OtlpReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v1/traces", ex -> handle(ex, b -> {
      traces.add(ExportTraceServiceRequest.parseFrom(b));
      return ExportTraceServiceResponse.getDefaultInstance().toByteArray();
    }));
    server.createContext("/v1/metrics", ex -> handle(ex, b -> {
      metrics.add(ExportMetricsServiceRequest.parseFrom(b));
      return ExportMetricsServiceResponse.getDefaultInstance().toByteArray();
    }));
    server.createContext("/v1/logs", ex -> handle(ex, b -> {
      logs.add(ExportLogsServiceRequest.parseFrom(b));
      return ExportLogsServiceResponse.getDefaultInstance().toByteArray();
    }));
    server.start();
  }

  /** The base URL for {@code OTEL_EXPORTER_OTLP_ENDPOINT}. */
  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private interface Decoder {
    byte[] decode(byte[] body) throws IOException;
  }

  private void handle(HttpExchange ex, Decoder decoder) throws IOException {
    try (ex) {
      if (!ex.getRequestMethod().equals("POST")) {
        ex.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body;
      try (InputStream in = ex.getRequestBody()) {
        body = in.readAllBytes();
      }
      if ("gzip".equalsIgnoreCase(ex.getRequestHeaders().getFirst("Content-Encoding"))) {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
          body = in.readAllBytes();
        }
      }
      Map<String, String> h = new java.util.HashMap<>();
      ex.getRequestHeaders().forEach((k, v) -> h.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
      headers.add(h);
      raw.add(body);
      byte[] response;
      try {
        response = decoder.decode(body);
      } catch (IOException | RuntimeException e) {
        ex.sendResponseHeaders(400, -1);
        return;
      }
      ex.getResponseHeaders().set("Content-Type", "application/x-protobuf");
      ex.sendResponseHeaders(200, response.length);
      ex.getResponseBody().write(response);
    }
  }

  public List<Span> spans() {
    return traces.stream().flatMap(r -> r.getResourceSpansList().stream())
        .flatMap(rs -> rs.getScopeSpansList().stream()).flatMap(ss -> ss.getSpansList().stream()).toList();
  }

  public List<Span> spansNamed(String name) {
    return spans().stream().filter(s -> s.getName().equals(name)).toList();
  }

  public List<Metric> metricsNamed(String name) {
    return metrics.stream().flatMap(r -> r.getResourceMetricsList().stream())
        .flatMap(rm -> rm.getScopeMetricsList().stream()).flatMap(sm -> sm.getMetricsList().stream())
        .filter(m -> m.getName().equals(name)).toList();
  }

  public List<LogRecord> logRecords() {
    return logs.stream().flatMap(r -> r.getResourceLogsList().stream())
        .flatMap(rl -> rl.getScopeLogsList().stream()).flatMap(sl -> sl.getLogRecordsList().stream()).toList();
  }

  /** Resource attributes of the first span batch, as strings. */
  public Map<String, String> traceResource() {
    Map<String, String> out = new java.util.HashMap<>();
    traces.stream().flatMap(r -> r.getResourceSpansList().stream()).findFirst()
        .ifPresent(rs -> rs.getResource().getAttributesList().forEach(kv -> out.put(kv.getKey(), text(kv.getValue()))));
    return out;
  }

  public static Optional<String> attribute(List<KeyValue> attributes, String key) {
    return attributes.stream().filter(kv -> kv.getKey().equals(key)).map(kv -> text(kv.getValue())).findFirst();
  }

  public static String text(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case INT_VALUE -> Long.toString(v.getIntValue());
      case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
      case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
      default -> v.toString();
    };
  }

  public static String hex(com.google.protobuf.ByteString id) {
    return HexFormat.of().formatHex(id.toByteArray());
  }

  /** True if the text occurs in any request received, as raw bytes (UTF-8). */
  public boolean anyRequestContains(String text) {
    byte[] needle = text.getBytes(StandardCharsets.UTF_8);
    return raw.stream().anyMatch(b -> indexOf(b, needle) >= 0);
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i <= hay.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** Number of requests received on any path. */
  public int requestCount() {
    return raw.size();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
