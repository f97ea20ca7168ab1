package pulse.notify;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A generic JSON webhook: the notification as a JSON POST. With a secret, the body is signed like
 * GitHub's webhooks: {@code X-Pulse-Signature-256: sha256=<hex HMAC-SHA256 of the body>}.
 */
final class WebhookChannel implements Channel {
  static final String SIGNATURE_HEADER = "X-Pulse-Signature-256";
  private final AlertConfig.Webhook config;
  private final String shown;

  WebhookChannel(AlertConfig.Webhook config) {
    this.config = config;
    this.shown = "the webhook " + Http.origin(URI.create(config.url()));
  }

  @Override
  public void deliver(String payload) throws DeliveryException {
    HttpRequest.Builder b = Http.post(URI.create(config.url()), payload, "application/json");
    config.secret().ifPresent(s -> b.header(SIGNATURE_HEADER, "sha256=" + hmac(s, payload)));
    Http.check(Http.send(b.build(), shown), shown);
  }

  static String hmac(String secret, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }
}
