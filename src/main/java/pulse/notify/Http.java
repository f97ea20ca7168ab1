package pulse.notify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The one HTTP client of the channels, with timeouts so a hung service cannot hold the sender. */
final class Http {
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NORMAL).build();

  private Http() {}

  static HttpRequest.Builder post(URI uri, String body, String contentType) {
    return HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).header("Content-Type", contentType)
        .header("User-Agent", "pulse").POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
  }

  /**
   * Sends; a network failure becomes a retryable {@link DeliveryException} that names {@code shown}
   * (a redacted form of the URL), never the URL itself.
   */
  static HttpResponse<String> send(HttpRequest request, String shown) throws DeliveryException {
    try {
      return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw DeliveryException.retry(shown + " did not answer within " + REQUEST_TIMEOUT.toSeconds() + "s");
    } catch (IOException e) {
      throw DeliveryException.retry("cannot reach " + shown + ": " + describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw DeliveryException.retry("interrupted while sending to " + shown);
    }
  }

  /** Classifies an HTTP status: 2xx fine, 408/429/5xx worth a retry, other 4xx permanent. */
  static void check(HttpResponse<String> r, String shown) throws DeliveryException {
    int s = r.statusCode();
    if (s >= 200 && s < 300) {
      return;
    }
    String msg = shown + " answered HTTP " + s + snippet(r.body());
    if (s == 408 || s == 429 || s >= 500) {
      throw DeliveryException.retry(msg);
    }
    throw DeliveryException.permanent(msg);
  }

  /** "scheme://host:port/…": enough to know which service failed, without paths that carry secrets. */
  static String origin(URI u) {
    return u.getScheme() + "://" + u.getHost() + (u.getPort() == -1 ? "" : ":" + u.getPort()) + "/…";
  }

  private static String snippet(String body) {
    if (body == null || body.isBlank()) {
      return "";
    }
    String one = body.strip().replaceAll("\\s+", " ");
    return ": " + (one.length() > 200 ? one.substring(0, 200) + "…" : one);
  }

  private static String describe(IOException e) {
    String m = e.getMessage();
    if (m == null || m.isBlank()) {
      return e.getClass().getSimpleName().equals("ConnectException") ? "connection refused" : e.getClass().getSimpleName();
    }
    return m;
  }
}
