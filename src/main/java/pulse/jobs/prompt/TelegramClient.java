package pulse.jobs.prompt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import pulse.api.Settings;

/**
 * The two Bot API methods Pulse uses, {@code sendMessage} and {@code getUpdates}, over the JDK's
 * HTTP client. The token is part of every URL, so no error from here ever includes a URL.
 */
final class TelegramClient {
  static final int MAX_TEXT = 4096;
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final String base;
  private final String token;
  private final String chatId;

  TelegramClient(String baseUrl, String token, String chatId) {
    this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.token = token;
    this.chatId = chatId.trim();
  }

  static TelegramClient from(Settings s) {
    return new TelegramClient(s.get(PromptSettings.TELEGRAM_API_URL, PromptSettings.DEFAULT_TELEGRAM_API_URL),
        s.require(PromptSettings.TELEGRAM_TOKEN), s.require(PromptSettings.TELEGRAM_CHAT));
  }

  /** A text message from some chat. */
  record Update(long updateId, Long chatId, String text, String from) {}

  void sendMessage(String text) throws IOException {
    ObjectNode body = JSON.createObjectNode();
    body.put("chat_id", chatId);
    body.put("text", text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT - 1) + "…" : text);
    body.put("disable_web_page_preview", true);
    call("sendMessage", body, Duration.ofSeconds(30));
  }

  /** Long-polls for updates after {@code offset - 1}; also confirms every update before it. */
  List<Update> getUpdates(long offset, int timeoutSeconds) throws IOException {
    ObjectNode body = JSON.createObjectNode();
    body.put("offset", offset);
    body.put("timeout", timeoutSeconds);
    body.putArray("allowed_updates").add("message");
    JsonNode result = call("getUpdates", body, Duration.ofSeconds(timeoutSeconds + 15L));
    List<Update> out = new ArrayList<>();
    for (JsonNode u : result) {
      JsonNode msg = u.path("message");
      JsonNode chat = msg.path("chat").path("id");
      out.add(new Update(u.path("update_id").asLong(), chat.isNumber() ? chat.asLong() : null,
          msg.path("text").isTextual() ? msg.path("text").asText() : null,
          msg.path("from").path("username").asText(msg.path("from").path("first_name").asText(""))));
    }
    return out;
  }

  private JsonNode call(String method, ObjectNode body, Duration timeout) throws IOException {
    HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/bot" + token + "/" + method))
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
        .build();
    HttpResponse<String> r;
    try {
      r = http.send(req, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted");
    } catch (IOException e) {
      throw new IOException("Telegram " + method + " failed: " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : " " + e.getMessage().replace(token, "<token>")));
    }
    JsonNode json;
    try {
      json = JSON.readTree(r.body());
    } catch (IOException e) {
      throw new IOException("Telegram " + method + " answered " + r.statusCode() + " with something that is not JSON");
    }
    if (r.statusCode() != 200 || !json.path("ok").asBoolean()) {
      String why = json.path("description").asText("HTTP " + r.statusCode());
      String hint = r.statusCode() == 401 || r.statusCode() == 404 ? "; check " + PromptSettings.TELEGRAM_TOKEN : "";
      throw new IOException("Telegram " + method + " refused: " + why.replace(token, "<token>") + hint);
    }
    return json.path("result");
  }
}
