package pulse.http;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pulse.api.Extension;
import pulse.api.Route;
import pulse.config.ApiConfig;
import pulse.core.Daemon;
import pulse.telemetry.Telemetry;

/**
 * The daemon's HTTP API, {@code /metrics} and the status page, on the JDK's own HTTP server: one
 * less dependency, and plenty for a loopback admin API.
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
  /** Handler threads; idle ones time out so an idle daemon keeps none. */
  static final int THREADS = 8;

  static {
    // The JDK server otherwise answers keep-alive requests ~40 ms late (Nagle + delayed ACK,
    // JDK-6968351). Read once, when the server classes load, so it must be set before.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private final HttpServer server;
  private final ThreadPoolExecutor executor;

  private ApiServer(HttpServer server, ThreadPoolExecutor executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Binds PULSE_API_HOST:PULSE_API_PORT and serves the core's and every extension's routes.
   *
   * @throws IllegalStateException with a message for the user when the address cannot be bound
   */
  public static ApiServer start(Daemon daemon, Telemetry telemetry, String version) {
    ApiConfig config = daemon.config().api();
    List<Route> routes = new ArrayList<>(new CoreRoutes(daemon, version).routes());
    for (Extension x : daemon.extensions()) {
      routes.addAll(x.routes());
    }
    Dispatcher dispatcher = new Dispatcher(new RouteTable(routes), new BearerAuth(config.token()), config.maxBodyBytes(),
        new StatusPage(daemon, version), telemetry);
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 64);
    } catch (BindException e) {
      throw new IllegalStateException("cannot listen on " + config.host() + ":" + config.port() + " (" + e.getMessage()
          + "): is another Pulse running? Stop it, or set PULSE_API_PORT to a free port");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the HTTP API on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
    }
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor executor = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(1024), r -> {
      Thread t = new Thread(r, "pulse-http-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    executor.allowCoreThreadTimeOut(true);
    server.setExecutor(executor);
    server.createContext("/", dispatcher);
    server.start();
    ApiServer api = new ApiServer(server, executor);
    log.info("HTTP API on http://{}; writes {}", api.address(),
        config.token().isPresent() ? "need the bearer token" : "are off (set PULSE_API_TOKEN to enable them)");
    return api;
  }

  /** host:port actually bound (the port is chosen by the system when PULSE_API_PORT=0). */
  public String address() {
    InetSocketAddress a = server.getAddress();
    String host = a.getAddress().getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
