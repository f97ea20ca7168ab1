package pulse.jobs.prompt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback server speaking the Telegram Bot API's JSON for {@code getUpdates} and {@code
 * sendMessage}: it keeps updates until a getUpdates call confirms them with a higher offset, as
 * Telegram does, and records every message sent.
 */
final class FakeBotApi implements AutoCloseable {
  static final String TOKEN = "123456:fake-token";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpServer server;
  private final List<ObjectNode> updates = new ArrayList<>();
  final List<JsonNode> sent = new CopyOnWriteArrayList<>();
  final List<Long> offsetsAsked = new CopyOnWriteArrayList<>();

  FakeBotApi() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/bot" + TOKEN + "/getUpdates", this::getUpdates);
    server.createContext("/bot" + TOKEN + "/sendMessage", this::sendMessage);
    server.createContext("/", ex -> reply(ex, 404, "{\"ok\":false,\"error_code\":404,\"description\":\"Not Found\"}"));
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  synchronized void message(long updateId, long chatId, String text) {
    ObjectNode u = JSON.createObjectNode();
    u.put("update_id", updateId);
    ObjectNode m = u.putObject("message");
    m.put("message_id", updateId * 10);
    m.putObject("chat").put("id", chatId).put("type", "private");
    m.putObject("from").put("id", chatId).put("username", "alice");
    m.put("text", text);
    updates.add(u);
  }

  synchronized int unconfirmed() {
    return updates.size();
  }

  private void getUpdates(HttpExchange ex) throws IOException {
    JsonNode req = JSON.readTree(ex.getRequestBody());
    long offset = req.path("offset").asLong();
    offsetsAsked.add(offset);
    ArrayNode result = JSON.createArrayNode();
    synchronized (this) {
      updates.removeIf(u -> u.path("update_id").asLong() < offset);
      updates.forEach(result::add);
    }
    if (result.isEmpty()) {
      try {
        Thread.sleep(100); // a short stand-in for the long poll
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    ObjectNode body = JSON.createObjectNode().put("ok", true);
    body.set("result", result);
    reply(ex, 200, JSON.writeValueAsString(body));
  }

  private void sendMessage(HttpExchange ex) throws IOException {
    JsonNode req = JSON.readTree(ex.getRequestBody());
    sent.add(req);
    ObjectNode body = JSON.createObjectNode().put("ok", true);
    body.putObject("result").put("message_id", sent.size());
    reply(ex, 200, JSON.writeValueAsString(body));
  }

  private static void reply(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, b.length);
    ex.getResponseBody().write(b);
    ex.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
