package pulse.notify;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;

/**
 * healthchecks.io-style pings: a POST to the URL queued with the ping ({@code <url>/start},
 * {@code <url>}, {@code <url>/fail}), the end of the run's output as the body. Ping URLs are secrets
 * of a kind (anyone holding one can report for the job), so errors name the host only.
 */
final class PingChannel implements Channel {

  @Override
  public void deliver(String payload) throws DeliveryException {
    JsonNode p;
    try {
      p = Messages.JSON.readTree(payload);
    } catch (IOException e) {
      throw DeliveryException.permanent("bad queued ping: " + e.getMessage());
    }
    URI uri = URI.create(p.path("url").asText());
    String shown = "the ping URL " + Http.origin(uri);
    Http.check(Http.send(Http.post(uri, p.path("body").asText(""), "text/plain; charset=utf-8").build(), shown), shown);
  }
}
