package pulse.notify;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;

/**
 * The Telegram Bot API's sendMessage as Telegram answers it: {@code {"ok":true,"result":{...}}} for
 * the right token and chat, 404 for a wrong token, 400 "chat not found" for a wrong chat, and the
 * status the test sets (500, 429) to simulate an outage.
 */
final class FakeTelegram extends Receiver {
  static final String TOKEN = "123456789:AAExampleSecretTokenValue";
  static final String CHAT = "-100777";

  FakeTelegram() throws IOException {
    super();
  }

  FakeTelegram(int port) throws IOException {
    super(port);
  }

  @Override
  Answer answer(String method, String path, String body) {
    if (!method.equals("POST") || !path.equals("/bot" + TOKEN + "/sendMessage")) {
      return new Answer(404, "{\"ok\":false,\"error_code\":404,\"description\":\"Not Found\"}");
    }
    int s = status.get();
    if (s == 429) {
      return new Answer(429, "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after 7\",\"parameters\":{\"retry_after\":7}}");
    }
    if (s != 200) {
      return new Answer(s, "{\"ok\":false,\"error_code\":" + s + ",\"description\":\"Internal Server Error\"}");
    }
    try {
      JsonNode req = Messages.JSON.readTree(body);
      if (!req.path("chat_id").asText().equals(CHAT)) {
        return new Answer(400, "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: chat not found\"}");
      }
      if (req.path("text").asText().isEmpty()) {
        return new Answer(400, "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: message text is empty\"}");
      }
      String result = Messages.JSON.createObjectNode().put("message_id", requests.size() + 1)
          .put("date", 1700000000).put("text", req.path("text").asText()).toString();
      return new Answer(200, "{\"ok\":true,\"result\":" + result + "}");
    } catch (IOException e) {
      return new Answer(400, "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: can't parse JSON\"}");
    }
  }

  /** The settings that make Pulse's alerts go to this fake: bot token, chat and API URL. */
  java.util.Map<String, String> settings() {
    return java.util.Map.of("TELEGRAM_BOT_TOKEN", TOKEN, "TELEGRAM_CHAT_ID", CHAT, "PULSE_TELEGRAM_API_URL", url(""));
  }

  /** The texts Telegram accepted, in order. */
  List<String> texts() {
    return accepted().stream().map(r -> {
      try {
        return Messages.JSON.readTree(r.body()).path("text").asText();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }).toList();
  }
}
