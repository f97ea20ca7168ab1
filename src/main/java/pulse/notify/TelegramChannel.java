package pulse.notify;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Telegram Bot API {@code sendMessage}. The token is part of the URL path, so the URL is never shown:
 * errors name "Telegram (api host)" and the API's own description only.
 */
final class TelegramChannel implements Channel {
  private final AlertConfig.Telegram config;
  private final String shown;

  TelegramChannel(AlertConfig.Telegram config) {
    this.config = config;
    this.shown = "Telegram (" + Http.origin(URI.create(config.apiUrl())) + ")";
  }

  @Override
  public void deliver(String payload) throws DeliveryException {
    try {
      String text = Messages.JSON.readTree(payload).path("text").asText();
      String body = Messages.JSON.createObjectNode().put("chat_id", config.chatId()).put("text", text)
          .put("disable_web_page_preview", true).toString();
      URI uri = URI.create(config.apiUrl() + "/bot" + config.token() + "/sendMessage");
      HttpResponse<String> r = Http.send(Http.post(uri, body, "application/json").build(), shown);
      JsonNode answer = parse(r.body());
      if (r.statusCode() == 200 && answer.path("ok").asBoolean(false)) {
        return;
      }
      String description = answer.path("description").asText("HTTP " + r.statusCode());
      if (r.statusCode() == 429) {
        long wait = answer.path("parameters").path("retry_after").asLong(0);
        throw new DeliveryException(shown + " asks to slow down: " + description, false,
            wait > 0 ? Duration.ofSeconds(wait) : null);
      }
      String msg = shown + " refused the message (HTTP " + r.statusCode() + "): " + description + hint(r.statusCode());
      throw new DeliveryException(redact(msg), r.statusCode() >= 400 && r.statusCode() < 500 && r.statusCode() != 408, null);
    } catch (DeliveryException e) {
      if (e.getMessage().contains(config.token())) {
        throw new DeliveryException(redact(e.getMessage()), e.permanent, e.retryAfter);
      }
      throw e;
    } catch (IOException e) {
      throw DeliveryException.permanent("bad queued Telegram payload: " + e.getMessage());
    }
  }

  private static JsonNode parse(String body) {
    try {
      return Messages.JSON.readTree(body == null || body.isBlank() ? "{}" : body);
    } catch (IOException e) {
      return Messages.JSON.createObjectNode();
    }
  }

  private static String hint(int status) {
    return switch (status) {
      case 400 -> " (check TELEGRAM_CHAT_ID, and that the bot was added to that chat)";
      case 401, 404 -> " (check TELEGRAM_BOT_TOKEN)";
      case 403 -> " (the bot was blocked or removed from the chat)";
      default -> "";
    };
  }

  private String redact(String s) {
    return s.replace(config.token(), "****");
  }
}
