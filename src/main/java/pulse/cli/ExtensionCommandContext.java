package pulse.cli;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import pulse.api.CommandContext;
import pulse.api.Settings;

/** {@link CommandContext} for extension commands: configuration loaded on first use. */
final class ExtensionCommandContext implements CommandContext {
  private final PulseCommand root;
  /**
   * Built on first use: building an HttpClient initializes TLS (security providers, SSLContext), about
   * 0.2-0.5 s of start-up that {@code pulse daemon}, which never calls an extension command, would pay.
   */
  private HttpClient http;

  ExtensionCommandContext(PulseCommand root) {
    this.root = root;
  }

  @Override
  public Settings settings() {
    return root.bootstrap().config().settings();
  }

  @Override
  public Response get(String path) throws IOException {
    return send(request(path).GET(), false);
  }

  @Override
  public Response post(String path, String jsonBody) throws IOException {
    return send(request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(jsonBody)), true);
  }

  @Override
  public Response delete(String path) throws IOException {
    return send(request(path).DELETE(), true);
  }

  private synchronized HttpClient http() {
    if (http == null) {
      http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    }
    return http;
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(root.bootstrap().config().api().url().resolve(path)).timeout(DaemonClient.TIMEOUT);
  }

  private Response send(HttpRequest.Builder b, boolean write) throws IOException {
    if (write) {
      root.bootstrap().config().api().token().ifPresent(t -> b.header("Authorization", "Bearer " + t));
    }
    try {
      HttpResponse<String> r = http().send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted");
    }
  }
}
