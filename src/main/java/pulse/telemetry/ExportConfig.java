package pulse.telemetry;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the OpenTelemetry autoconfiguration gets as its lowest-priority properties, computed from the
 * merged settings (env file + process environment): every {@code OTEL_*} key in property form, the
 * Logfire shortcut, and exporters "none" for any signal with nowhere to go. The process environment
 * still wins over these, because autoconfigure reads it itself.
 *
 * @param properties autoconfigure property names ({@code otel.traces.exporter}) to values
 * @param description one human line, without secrets, for the startup log
 */
public record ExportConfig(Map<String, String> properties, String description) {
  public static final String LOGFIRE_TOKEN = "LOGFIRE_TOKEN";
  public static final String LOGFIRE_BASE_URL = "LOGFIRE_BASE_URL";
  static final String LOGFIRE_US = "https://logfire-us.pydantic.dev";
  static final String LOGFIRE_EU = "https://logfire-eu.pydantic.dev";
  static final String DEFAULT_SERVICE_NAME = "pulse";
  /** Logfire write tokens name their region: {@code pylf_v1_eu_...}. */
  private static final Pattern TOKEN_REGION = Pattern.compile("^pylf_v\\d+_([a-z]+)_");
  private static final List<String> SIGNALS = List.of("traces", "metrics", "logs");

  public ExportConfig {
    properties = Map.copyOf(properties);
  }

  public static ExportConfig from(Map<String, String> settings) {
    Map<String, String> p = new LinkedHashMap<>();
    settings.forEach((k, v) -> {
      if (k.startsWith("OTEL_") && v != null && !v.isBlank()) {
        p.put(k.toLowerCase(Locale.ROOT).replace('_', '.'), v.strip());
      }
    });
    if (!p.containsKey("otel.service.name") && !p.getOrDefault("otel.resource.attributes", "").contains("service.name=")) {
      p.put("otel.service.name", DEFAULT_SERVICE_NAME);
    }

    boolean anyEndpoint = p.containsKey("otel.exporter.otlp.endpoint")
        || SIGNALS.stream().anyMatch(s -> p.containsKey("otel.exporter.otlp." + s + ".endpoint"));
    String token = blankToNull(settings.get(LOGFIRE_TOKEN));
    boolean logfire = token != null && !anyEndpoint; // never send the token to a backend the user chose
    if (logfire) {
      String base = blankToNull(settings.get(LOGFIRE_BASE_URL));
      p.put("otel.exporter.otlp.endpoint", base != null ? base : logfireUrl(token));
      p.put("otel.exporter.otlp.protocol", "http/protobuf");
      // Logfire wants the bare token, no "Bearer". Autoconfigure URL-decodes header values.
      String header = "Authorization=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
      p.merge("otel.exporter.otlp.headers", header, (old, h) -> old + "," + h);
    }
    // The SDK's default is grpc, which needs a sender Pulse does not ship (OkHttp or grpc-java).
    p.putIfAbsent("otel.exporter.otlp.protocol", "http/protobuf");
    for (String s : SIGNALS) {
      p.putIfAbsent("otel." + s + ".exporter",
          logfire || p.containsKey("otel.exporter.otlp.endpoint") || p.containsKey("otel.exporter.otlp." + s + ".endpoint")
              ? "otlp" : "none");
    }
    return new ExportConfig(p, describe(p, logfire, token != null && !logfire));
  }

  /** The Logfire endpoint for a write token: its region when the token names one, else the US. */
  static String logfireUrl(String token) {
    Matcher m = TOKEN_REGION.matcher(token);
    return m.find() && m.group(1).equals("eu") ? LOGFIRE_EU : LOGFIRE_US;
  }

  private static String describe(Map<String, String> p, boolean logfire, boolean tokenIgnored) {
    List<String> parts = new ArrayList<>();
    List<String> none = new ArrayList<>();
    for (String s : SIGNALS) {
      String exporter = p.get("otel." + s + ".exporter");
      if (exporter.equals("none")) {
        none.add(s);
      } else if (exporter.contains("otlp")) {
        String endpoint = p.getOrDefault("otel.exporter.otlp." + s + ".endpoint",
            p.getOrDefault("otel.exporter.otlp.endpoint", "http://localhost:4318"));
        String protocol = p.getOrDefault("otel.exporter.otlp." + s + ".protocol",
            p.getOrDefault("otel.exporter.otlp.protocol", "http/protobuf"));
        parts.add(s + " via OTLP " + protocol + " to " + withoutSecrets(endpoint));
      } else {
        parts.add(s + " via " + exporter);
      }
    }
    StringBuilder out = new StringBuilder();
    if (parts.isEmpty()) {
      out.append("nothing exported (set OTEL_EXPORTER_OTLP_ENDPOINT or LOGFIRE_TOKEN to send traces, metrics and logs)");
    } else {
      out.append(String.join("; ", parts));
      if (!none.isEmpty()) {
        out.append("; no export of ").append(String.join(", ", none));
      }
      if (logfire) {
        out.append(" (Logfire, token from LOGFIRE_TOKEN)");
      }
    }
    if (tokenIgnored) {
      out.append("; LOGFIRE_TOKEN ignored because an OTEL_EXPORTER_OTLP_*ENDPOINT is set");
    }
    return out.append("; Prometheus text at /metrics").toString();
  }

  /** Scheme, host, port and path only: user info and query strings may hold credentials. */
  static String withoutSecrets(String endpoint) {
    try {
      URI u = URI.create(endpoint.strip());
      if (u.getScheme() == null || u.getHost() == null) {
        return "(an endpoint that is not a URL)";
      }
      return u.getScheme() + "://" + u.getHost() + (u.getPort() >= 0 ? ":" + u.getPort() : "")
          + (u.getPath() == null ? "" : u.getPath());
    } catch (IllegalArgumentException e) {
      return "(an endpoint that is not a URL)";
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
