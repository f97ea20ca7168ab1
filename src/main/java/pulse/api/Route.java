package pulse.api;

import java.util.Objects;

/**
 * One HTTP route of an {@link Extension}.
 *
 * @param method GET, POST, PUT or DELETE
 * @param path a path such as {@code /api/pulse/{id}}; {@code {name}} segments become path parameters
 * @param write true if the route changes state: it then needs {@code Authorization: Bearer} with
 *     PULSE_API_TOKEN, and is off while no token is configured. Non-GET routes are always writes.
 * @param handler the code that answers
 */
public record Route(String method, String path, boolean write, Handler handler) {

  public Route {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(handler, "handler");
    if (!path.startsWith("/api/")) {
      throw new IllegalArgumentException("extension routes live under /api/, got " + path);
    }
    write = write || !method.equals("GET");
  }

  public static Route get(String path, Handler handler) {
    return new Route("GET", path, false, handler);
  }

  public static Route post(String path, Handler handler) {
    return new Route("POST", path, true, handler);
  }

  public static Route delete(String path, Handler handler) {
    return new Route("DELETE", path, true, handler);
  }

  /** Answers one request. A thrown {@link ApiException} becomes its status and JSON error. */
  @FunctionalInterface
  public interface Handler {
    ApiResponse handle(ApiRequest request) throws Exception;
  }
}
