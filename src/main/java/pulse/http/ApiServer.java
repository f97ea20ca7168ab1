package pulse.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
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
 * The daemon's HTTP API, {@code /metrics} and the status page: a {@link ConnectionLoop} that reads
 * whole requests without blocking, and handler threads that answer them.
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
  /** Handler threads; idle ones time out so an idle daemon keeps none. */
  static final int THREADS = 8;

  private final String address;
  private final ConnectionLoop loop;
  private final ThreadPoolExecutor executor;

  private ApiServer(InetSocketAddress bound, ConnectionLoop loop, ThreadPoolExecutor executor) {
    String host = bound.getAddress().getHostAddress();
    this.address = (host.contains(":") ? "[" + host + "]" : host) + ":" + bound.getPort();
    this.loop = loop;
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
    Dispatcher dispatcher = new Dispatcher(new RouteTable(routes), new BearerAuth(config.token(), config.readToken()),
        new HostCheck(config.allowedHosts()), new StatusPage(daemon, version),
        telemetry);
    AtomicInteger n = new AtomicInteger();
    // The queue never fills: each connection has at most one request with the handlers.
    ThreadPoolExecutor executor = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(ConnectionLoop.MAX_CONNECTIONS), r -> {
          Thread t = new Thread(r, "pulse-http-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    executor.allowCoreThreadTimeOut(true);
    ServerSocketChannel channel = null;
    try {
      channel = ServerSocketChannel.open();
      channel.bind(new InetSocketAddress(config.host(), config.port()), 64);
      ConnectionLoop loop = new ConnectionLoop(channel, config.limits(), dispatcher, executor);
      loop.start();
      ApiServer api = new ApiServer((InetSocketAddress) channel.getLocalAddress(), loop, executor);
      log.info("HTTP API on http://{}; writes {}; reads {}", api.address(),
          config.token().isPresent() ? "need the bearer token" : "are off (set PULSE_API_TOKEN to enable them)",
          config.readToken().isPresent() ? "need a token" : "are open");
      InetSocketAddress bound = (InetSocketAddress) channel.getLocalAddress();
      if (!bound.getAddress().isLoopbackAddress()) {
        log.warn("The HTTP API listens on {}, beyond this host, in plain HTTP{}: tokens and prompts cross the network readable. "
            + "Put a TLS proxy in front and bind PULSE_API_HOST=127.0.0.1 (README: \"The API beyond this host\")", api.address(),
            config.readToken().isPresent() ? "" : ", and reads need no token (set PULSE_API_READ_TOKEN)");
      }
      return api;
    } catch (BindException e) {
      closeQuietly(channel);
      throw new IllegalStateException("cannot listen on " + config.host() + ":" + config.port() + " (" + e.getMessage()
          + "): is another Pulse running? Stop it, or set PULSE_API_PORT to a free port");
    } catch (IOException e) {
      closeQuietly(channel);
      throw new UncheckedIOException("cannot start the HTTP API on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
    }
  }

  private static void closeQuietly(ServerSocketChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // already failing to start; the first error is the one to report
      }
    }
  }

  /** host:port actually bound (the port is chosen by the system when PULSE_API_PORT=0). */
  public String address() {
    return address;
  }

  @Override
  public void close() {
    loop.close();
    executor.shutdownNow();
  }
}
