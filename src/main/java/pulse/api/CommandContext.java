package pulse.api;

import java.io.IOException;

/** What an extension's CLI command gets: the validated settings and the running daemon's API. */
public interface CommandContext {

  /**
   * The validated settings (env file and environment). Throws the configuration error, which the
   * CLI prints and turns into exit code 78.
   */
  Settings settings();

  /** Calls the running daemon's HTTP API, with the bearer token for writes. */
  Response get(String path) throws IOException;

  Response post(String path, String jsonBody) throws IOException;

  Response delete(String path) throws IOException;

  /**
   * An HTTP answer. {@code status} 0 never happens: an unreachable daemon throws {@link
   * java.net.ConnectException}, which the CLI reports with exit code 69.
   */
  record Response(int status, String body) {}
}
