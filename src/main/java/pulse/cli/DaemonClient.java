package pulse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;

/** The CLI's view of a running daemon: its HTTP API on PULSE_API_URL. */
final class DaemonClient {
  static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();
  private final URI base;
  private final Optional<String> token;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).version(HttpClient.Version.HTTP_1_1).build();

  /** The daemon is not answering at all. */
  static final class Unavailable extends Exception {
    private static final long serialVersionUID = 1L;

    Unavailable(String message) {
      super(message);
    }
  }

  /** The daemon answered with an error status; the message is its JSON error. */
  static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;

    Refused(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  DaemonClient(URI base, Optional<String> token) {
    this.base = base;
    this.token = token;
  }

  URI base() {
    return base;
  }

  JsonNode get(String path) throws Unavailable, Refused {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  JsonNode post(String path, String jsonBody) throws Unavailable, Refused {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(jsonBody));
    token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
    return send(b);
  }

  JsonNode delete(String path) throws Unavailable, Refused {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).DELETE();
    token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
    return send(b);
  }

  private JsonNode send(HttpRequest.Builder b) throws Unavailable, Refused {
    HttpResponse<String> r;
    try {
      r = http.send(b.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      throw new Unavailable("the daemon is not running (nothing listens on " + base + ")");
    } catch (HttpTimeoutException e) {
      throw new Unavailable("the daemon at " + base + " did not answer within " + TIMEOUT.toSeconds() + "s");
    } catch (IOException e) {
      throw new Unavailable("cannot reach the daemon at " + base + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unavailable("interrupted");
    }
    JsonNode body;
    try {
      body = r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
    } catch (IOException e) {
      throw new Refused(r.statusCode(), "the daemon answered " + r.statusCode() + " with something that is not JSON");
    }
    if (r.statusCode() >= 400) {
      String msg = body.path("error").asText("HTTP " + r.statusCode());
      throw new Refused(r.statusCode(), msg);
    }
    return body;
  }
}
