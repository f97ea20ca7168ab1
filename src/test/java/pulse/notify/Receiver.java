package pulse.notify;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on loopback that records every request and answers with a status the test
 * sets: a webhook receiver, a ping receiver, and the base of the fake Telegram Bot API.
 */
class Receiver implements AutoCloseable {
  record Request(String method, String path, Map<String, List<String>> headers, String body, int answered) {
    String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
          .map(e -> e.getValue().get(0)).orElse(null);
    }
  }

  final List<Request> requests = new CopyOnWriteArrayList<>();
  final AtomicInteger status = new AtomicInteger(200);
  private final HttpServer server;

  Receiver() throws IOException {
    this(0);
  }

  Receiver(int port) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  /** What to answer: status and body. */
  record Answer(int status, String body) {}

  Answer answer(String method, String path, String body) {
    return new Answer(status.get(), "{}");
  }

  /** Requests answered with a 2xx status. */
  List<Request> accepted() {
    return requests.stream().filter(r -> r.answered() >= 200 && r.answered() < 300).toList();
  }

  private void handle(HttpExchange ex) throws IOException {
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String path = ex.getRequestURI().getRawPath();
    Answer a = answer(ex.getRequestMethod(), path, body);
    requests.add(new Request(ex.getRequestMethod(), path, Map.copyOf(ex.getRequestHeaders()), body, a.status()));
    byte[] out = a.body().getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(a.status(), out.length == 0 ? -1 : out.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(out);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
