package pulse.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pulse.api.ApiException;
import pulse.api.ApiRequest;
import pulse.api.ApiResponse;
import pulse.config.Redactor;
import pulse.telemetry.Telemetry;

/**
 * Every request goes through here: route lookup, bearer check for writes, a span for writes, and
 * the mapping of failures to JSON errors ({@link ConnectionLoop} has already read the whole request
 * within its limits). Nothing below this class writes to the
 * exchange, so no request ever gets a stack trace back.
 */
final class Dispatcher implements HttpHandler {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
  private static final String JSON_TYPE = Responses.JSON_TYPE;
  static final int TOKEN_FREE_THREADS = ApiServer.THREADS / 2;
  private static final TextMapGetter<Headers> HEADERS = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(Headers carrier) {
      return carrier.keySet();
    }

    @Override
    public String get(Headers carrier, String key) {
      return carrier == null ? null : carrier.getFirst(key);
    }
  };

  private final RouteTable routes;
  private final BearerAuth auth;
  /**
   * Handler threads that requests without a valid token may hold at once: however costly a
   * token-free read, health checks and authenticated requests keep the rest of the threads.
   */
  private final java.util.concurrent.Semaphore tokenFree = new java.util.concurrent.Semaphore(TOKEN_FREE_THREADS);
  private final HostCheck hosts;
  private final StatusPage page;
  private final Telemetry telemetry;

  Dispatcher(RouteTable routes, BearerAuth auth, HostCheck hosts, StatusPage page, Telemetry telemetry) {
    this.routes = routes;
    this.auth = auth;
    this.hosts = hosts;
    this.page = page;
    this.telemetry = telemetry;
  }

  @Override
  public void handle(HttpExchange ex) {
    try (ex) {
      String method = ex.getRequestMethod().toUpperCase(java.util.Locale.ROOT);
      String path = ex.getRequestURI().getRawPath();
      Optional<String> badHost = hosts.hostProblem(ex.getRequestHeaders());
      if (badHost.isPresent()) {
        error(ex, 421, null, badHost.get());
        return;
      }
      if (readNeedsToken(method, path, ex.getRequestHeaders())) {
        ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"pulse\"");
        error(ex, 401, null, "reads need a token here: send 'Authorization: Bearer <PULSE_API_READ_TOKEN>'");
        return;
      }
      boolean bounded = !path.equals("/api/health") && !auth.acceptsRead(ex.getRequestHeaders().getFirst("Authorization"));
      if (bounded && !tokenFree.tryAcquire()) {
        ex.getResponseHeaders().set("Retry-After", "1");
        error(ex, 429, null, "too many requests without a token at once; retry in a second, or send the read or write token");
        return;
      }
      try {
        route(ex, method, path);
      } finally {
        if (bounded) {
          tokenFree.release();
        }
      }
    } catch (IOException e) {
      log.debug("HTTP client went away: {}", e.toString());
    } catch (RuntimeException e) {
      log.error("HTTP request failed: {}", Redactor.redactText(e.toString()));
    }
  }

  private void route(HttpExchange ex, String method, String path) throws IOException {
    if (path.startsWith("/api/")) {
      api(ex, method, path);
    } else if (path.equals("/metrics")) {
      requireGet(ex, method, () -> send(ex, 200, Telemetry.PROMETHEUS_CONTENT_TYPE, telemetry.prometheusText()));
    } else if (path.equals("/") || path.equals("/index.html")) {
      requireGet(ex, method, () -> {
        ex.getResponseHeaders().set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
        send(ex, 200, "text/html; charset=utf-8", page.render());
      });
    } else {
      error(ex, 404, null, "no such page; the API is under /api/, the status page at /");
    }
  }

  private interface Body {
    void write() throws IOException;
  }

  private void requireGet(HttpExchange ex, String method, Body body) throws IOException {
    if (method.equals("GET") || method.equals("HEAD")) {
      body.write();
    } else {
      ex.getResponseHeaders().set("Allow", "GET, HEAD");
      error(ex, 405, null, method + " is not allowed here; use GET");
    }
  }

  private void api(HttpExchange ex, String method, String rawPath) throws IOException {
    RouteTable.Lookup lookup = routes.lookup(method, rawPath);
    if (lookup.match().isEmpty()) {
      if (lookup.allowed().isEmpty()) {
        error(ex, 404, null, "no API resource at " + rawPath);
      } else {
        ex.getResponseHeaders().set("Allow", String.join(", ", lookup.allowed()));
        error(ex, 405, null, method + " is not allowed on " + rawPath + "; allowed: " + String.join(", ", lookup.allowed()));
      }
      return;
    }
    RouteTable.Match match = lookup.match().get();
    if (match.route().write() && refuseWrite(ex)) {
      return;
    }
    byte[] body = ex.getRequestBody().readAllBytes(); // whole and within PULSE_API_MAX_BODY: ConnectionLoop read it
    Map<String, String> params = new LinkedHashMap<>();
    match.params().forEach((k, v) -> params.put(k, decodePath(v)));
    if (!match.route().write()) {
      respond(ex, method, match, new ApiRequest(method, rawPath, params, query(ex.getRequestURI().getRawQuery()), body, null));
      return;
    }
    Context parent = W3CTraceContextPropagator.getInstance().extract(Context.root(), ex.getRequestHeaders(), HEADERS);
    Span span = telemetry.tracer().spanBuilder(method + " " + match.route().path()).setSpanKind(SpanKind.SERVER)
        .setParent(parent)
        .setAttribute("http.request.method", method)
        .setAttribute("http.route", match.route().path())
        .setAttribute("url.path", rawPath)
        .startSpan();
    try (Scope ignored = span.makeCurrent()) {
      ApiRequest request = new ApiRequest(method, rawPath, params, query(ex.getRequestURI().getRawQuery()), body, traceparent(span));
      int status = respond(ex, method, match, request);
      span.setAttribute("http.response.status_code", status);
      if (status >= 500) {
        span.setStatus(StatusCode.ERROR);
      }
      log.info("API {} {} -> {}", method, rawPath, status);
    } finally {
      span.end();
    }
  }

  /**
   * Answers a write that is off or lacks the token; true if it did. The connection loop asks
   * {@link #refusesBeforeBody} first, so a refused write's body is never read.
   */
  private boolean refuseWrite(HttpExchange ex) throws IOException {
    Optional<String> foreign = hosts.originProblem(ex.getRequestHeaders());
    if (foreign.isPresent()) {
      error(ex, 403, null, foreign.get());
      return true;
    }
    if (!auth.writesEnabled()) {
      error(ex, 403, null, "write endpoints are off: set PULSE_API_TOKEN in the daemon's environment to enable them");
      return true;
    }
    if (!auth.accepts(ex.getRequestHeaders().getFirst("Authorization"))) {
      ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"pulse\"");
      error(ex, 401, null, "missing or wrong token: send 'Authorization: Bearer <PULSE_API_TOKEN>'");
      return true;
    }
    return false;
  }

  /**
   * Whether this request will be refused whatever its body: no such route, a wrong method, or a
   * write without its token. Decided from the head alone, so the loop need not read the body.
   */
  boolean refusesBeforeBody(String method, String rawPath, Headers headers) {
    if (hosts.hostProblem(headers).isPresent() || readNeedsToken(method, rawPath, headers)) {
      return true;
    }
    if (!rawPath.startsWith("/api/")) {
      return false;
    }
    RouteTable.Lookup lookup = routes.lookup(method.toUpperCase(java.util.Locale.ROOT), rawPath);
    if (lookup.match().isEmpty()) {
      return true;
    }
    return lookup.match().get().route().write() && (!auth.writesEnabled() || !auth.accepts(headers.getFirst("Authorization"))
        || hosts.originProblem(headers).isPresent());
  }

  /**
   * A read (anything but a write route and {@code /api/health}, which monitors poll) without the
   * read or write token while PULSE_API_READ_TOKEN is set.
   */
  private boolean readNeedsToken(String method, String rawPath, Headers headers) {
    if (!auth.readsNeedToken() || rawPath.equals("/api/health")) {
      return false;
    }
    boolean write = rawPath.startsWith("/api/")
        && routes.lookup(method.toUpperCase(java.util.Locale.ROOT), rawPath).match().map(m -> m.route().write()).orElse(false);
    return !write && !auth.acceptsRead(headers.getFirst("Authorization"));
  }

  private int respond(HttpExchange ex, String method, RouteTable.Match match, ApiRequest request) throws IOException {
    ApiResponse response;
    try {
      if (match.route().write() && request.body().length > 0) {
        StrictJson.check(request.body());
      }
      response = match.route().handler().handle(request);
    } catch (ApiException e) {
      error(ex, e.status(), e.field(), Redactor.redactText(e.getMessage()));
      return e.status();
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      error(ex, 400, null, "request body is not valid JSON" + where + "; send a JSON object");
      return 400;
    } catch (Exception e) {
      var fault = pulse.store.StoreUnavailableException.in(e);
      if (fault.isPresent()) { // the store logged it once; the client hears what and why, and may retry
        ex.getResponseHeaders().set("Retry-After", "5");
        error(ex, 503, null, Redactor.redactText(fault.get().getMessage()));
        return 503;
      }
      log.error("API {} {} failed in its handler: {}", method, match.route().path(), Redactor.redactText(e.toString()));
      error(ex, 500, null, "internal error; the daemon's log has the details");
      return 500;
    }
    if (response == null || response.body() == null) {
      ex.getResponseHeaders().set("Cache-Control", "no-store");
      ex.sendResponseHeaders(response == null ? 204 : response.status(), -1);
      return response == null ? 204 : response.status();
    }
    Object b = response.body();
    if (b instanceof String s) {
      send(ex, response.status(), "text/plain; charset=utf-8", s);
    } else if (b instanceof byte[] bytes) {
      send(ex, response.status(), "application/octet-stream", bytes);
    } else {
      send(ex, response.status(), JSON_TYPE, Json.MAPPER.writeValueAsBytes(b));
    }
    return response.status();
  }

  private static Map<String, List<String>> query(String raw) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = decodeQuery(eq < 0 ? pair : pair.substring(0, eq));
      String v = eq < 0 ? "" : decodeQuery(pair.substring(eq + 1));
      out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
    }
    return out;
  }

  private static String decodeQuery(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(null, "the query string has a bad %-escape: " + s);
    }
  }

  private static String decodePath(String s) {
    try {
      return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }

  private static String traceparent(Span span) {
    SpanContext c = span.getSpanContext();
    return c.isValid() ? "00-" + c.getTraceId() + "-" + c.getSpanId() + "-" + c.getTraceFlags().asHex() : null;
  }

  private static void error(HttpExchange ex, int status, String field, String message) throws IOException {
    send(ex, status, JSON_TYPE, Responses.errorBody(status, field, message));
  }

  private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
    send(ex, status, type, body.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
    Headers h = ex.getResponseHeaders();
    h.set("Content-Type", type);
    h.set("X-Content-Type-Options", "nosniff");
    h.putIfAbsent("Cache-Control", List.of("no-store"));
    if (ex.getRequestMethod().equalsIgnoreCase("HEAD")) {
      h.set("Content-Length", String.valueOf(body.length));
      ex.sendResponseHeaders(status, -1);
      return;
    }
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    ex.getResponseBody().write(body);
  }
}
