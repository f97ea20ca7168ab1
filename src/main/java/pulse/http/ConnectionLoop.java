package pulse.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pulse.api.Durations;
import pulse.config.ApiLimits;
import pulse.config.CoreSettings;

/**
 * The API's one I/O thread: accepts, reads whole requests without blocking, and writes answers.
 * Handler threads get a request only once all of it has arrived and hand back bytes, so a client
 * that is slow to send or to read holds a connection slot, never a thread that answers others.
 *
 * <p>The JDK's {@code HttpServer} reads heads and bodies on its handler threads, blocking, with no
 * deadline: eight connections that announce a body and never send it stop it. Its
 * {@code sun.net.httpserver.maxReqTime} closes them in the end, but answers nothing, and until then
 * the API is frozen (measured: every probe timed out for the whole {@code maxReqTime}).
 *
 * <p>Every connection has one deadline: the head ({@code PULSE_API_HEADER_TIMEOUT}, counted from
 * the request's first byte, so one header line every few seconds does not keep it alive), the body
 * ({@code PULSE_API_BODY_TIMEOUT}), or idleness between requests and while an answer is sent
 * ({@code PULSE_API_IDLE_TIMEOUT}). The thread sleeps until the nearest one, so an idle daemon is
 * never woken by it.
 */
final class ConnectionLoop implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConnectionLoop.class);
  /** All connections together: bounds the memory buffered requests take (~32 KiB of head each). */
  static final int MAX_CONNECTIONS = 256;
  /** After an answer that ends a connection: how long unread input is dropped so the client sees the answer, not a reset. */
  private static final long LINGER_NANOS = Duration.ofSeconds(1).toNanos();
  private static final long REFUSAL_LOG_INTERVAL_NANOS = Duration.ofMinutes(1).toNanos();
  /** How much of an oversized body is read and dropped to answer 413 on a connection that stays open. */
  private static final long DRAIN_LIMIT = 1024 * 1024;
  private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

  private final ServerSocketChannel server;
  private final Selector selector;
  private final ApiLimits limits;
  private final Dispatcher dispatcher;
  private final ExecutorService workers;
  private final Set<Connection> open = new HashSet<>();
  private final Map<InetAddress, Integer> perClient = new HashMap<>();
  private final Queue<Runnable> answered = new ConcurrentLinkedQueue<>();
  private final ByteBuffer scratch = ByteBuffer.allocate(16 * 1024);
  private final Thread thread;
  private volatile boolean running = true;
  private long nextSweep = Long.MAX_VALUE;
  private long lastRefusalLog = System.nanoTime() - REFUSAL_LOG_INTERVAL_NANOS;
  private int refusedSinceLog;

  ConnectionLoop(ServerSocketChannel server, ApiLimits limits, Dispatcher dispatcher, ExecutorService workers) throws IOException {
    this.server = server;
    this.limits = limits;
    this.dispatcher = dispatcher;
    this.workers = workers;
    this.selector = Selector.open();
    server.configureBlocking(false);
    server.register(selector, SelectionKey.OP_ACCEPT);
    this.thread = new Thread(this::run, "pulse-http-io");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  private void run() {
    while (running) {
      try {
        long wait = nextSweep == Long.MAX_VALUE ? 0 : Math.max(1, (nextSweep - System.nanoTime()) / 1_000_000 + 1);
        selector.select(wait);
        Runnable r;
        while ((r = answered.poll()) != null) {
          r.run();
        }
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
          SelectionKey key = it.next();
          it.remove();
          if (key.isValid() && key.isAcceptable()) {
            accept();
          } else if (key.isValid()) {
            ready((Connection) key.attachment(), key);
          }
        }
        if (nextSweep != Long.MAX_VALUE && System.nanoTime() - nextSweep >= 0) {
          sweep();
        }
      } catch (IOException | RuntimeException e) {
        if (running) {
          log.error("HTTP connection loop failed: {}. Will keep serving.", e.toString());
        }
      }
    }
    new ArrayList<>(open).forEach(this::close);
  }

  private void ready(Connection c, SelectionKey key) {
    try {
      if (key.isReadable()) {
        read(c);
      }
      if (key.isValid() && key.isWritable()) {
        send(c);
      }
    } catch (IOException e) {
      close(c);
    }
  }

  private void accept() throws IOException {
    SocketChannel ch;
    while ((ch = server.accept()) != null) {
      InetAddress client = ((InetSocketAddress) ch.getRemoteAddress()).getAddress();
      int held = perClient.getOrDefault(client, 0);
      if (held >= limits.maxConnectionsPerClient() || open.size() >= MAX_CONNECTIONS) {
        refuseAtAccept(ch, client, held >= limits.maxConnectionsPerClient());
        continue;
      }
      ch.configureBlocking(false);
      ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
      Connection c = new Connection(ch, client);
      c.key = ch.register(selector, SelectionKey.OP_READ, c);
      open.add(c);
      perClient.merge(client, 1, Integer::sum);
      // nothing sent yet: a connection that never speaks is dropped like a slow head
      deadline(c, limits.headerTimeout());
    }
  }

  /** One small write into an empty send buffer never blocks; the client sees why, then the close. */
  private void refuseAtAccept(SocketChannel ch, InetAddress client, boolean perAddress) {
    String why = perAddress
        ? client.getHostAddress() + " already has " + limits.maxConnectionsPerClient() + " connections open ("
            + CoreSettings.API_MAX_CONNECTIONS_PER_CLIENT + "); reuse or close them"
        : "the API already has " + MAX_CONNECTIONS + " connections open; retry later";
    try (ch) {
      ch.configureBlocking(false);
      ch.write(ByteBuffer.wrap(Responses.error(perAddress ? 429 : 503, why, true)));
    } catch (IOException e) {
      // the client is gone already
    }
    refusedSinceLog++;
    long now = System.nanoTime();
    if (now - lastRefusalLog >= REFUSAL_LOG_INTERVAL_NANOS) {
      log.warn("HTTP API refused {} connection(s) in the last minute, the latest because {}", refusedSinceLog, why);
      lastRefusalLog = now;
      refusedSinceLog = 0;
    }
  }

  private void read(Connection c) throws IOException {
    if (c.state == Connection.State.CLOSING) {
      scratch.clear();
      if (c.channel.read(scratch) < 0) {
        close(c);
      }
      return;
    }
    int cap = HeadParser.MAX_HEAD + ChunkedBody.rawLimit(limits.maxBodyBytes());
    if (!c.makeRoom(4096, cap)) {
      refuse(c, c.state == Connection.State.HEAD ? new Refusal(431, "the request headers are too large")
          : new Refusal(413, "request body is larger than " + limits.maxBodyBytes() + " bytes (PULSE_API_MAX_BODY)"));
      return;
    }
    int n = c.channel.read(ByteBuffer.wrap(c.in, c.inLen, c.in.length - c.inLen));
    if (n < 0) {
      close(c);
      return;
    }
    if (n == 0) {
      return;
    }
    int from = c.inLen;
    c.inLen += n;
    if (!c.started && c.state == Connection.State.HEAD) {
      c.started = true;
      deadline(c, limits.headerTimeout());
    }
    advance(c, from);
  }

  /** Moves a connection on with the bytes it has; {@code from} is where the new ones start. */
  private void advance(Connection c, int from) {
    if (c.state == Connection.State.SKIPPING) {
      int k = (int) Math.min(c.skip, c.inLen);
      c.consume(k);
      c.skip -= k;
      if (c.skip > 0) {
        return;
      }
      c.state = Connection.State.HEAD;
      deadline(c, c.started ? limits.headerTimeout() : limits.idleTimeout());
      from = 0;
    }
    if (c.state == Connection.State.HEAD) {
      // A head can only end at a newline: parsing again only then keeps a head sent a byte at a time linear.
      if (HeadParser.indexOf(c.in, from, c.inLen, (byte) '\n') < 0 && c.inLen <= HeadParser.MAX_REQUEST_LINE) {
        return;
      }
      HeadParser.Result r = HeadParser.parse(c.in, c.inLen);
      if (r.refusal() != null) {
        refuse(c, r.refusal());
        return;
      }
      if (r.head() == null) {
        return;
      }
      RequestHead head = r.head();
      c.head = head;
      if (head.hasBody() && dispatcher.refusesBeforeBody(head.method(), head.uri().getRawPath(), head.headers())) {
        // The handler answers the refusal (401, 403, 404...) without the body, which is never read.
        dispatch(c, new byte[0], head.end(), true);
        return;
      }
      if (head.bodyLength() > limits.maxBodyBytes()) {
        tooLarge(c, head);
        return;
      }
      if (head.hasBody() && head.expectsContinue()) {
        try {
          c.channel.write(ByteBuffer.wrap(CONTINUE));
        } catch (IOException e) {
          close(c);
          return;
        }
      }
      c.state = Connection.State.BODY;
      c.chunks = head.chunked() ? new ChunkedBody(head.end(), limits.maxBodyBytes()) : null;
      deadline(c, limits.bodyTimeout());
    }
    if (c.state == Connection.State.BODY) {
      if (c.chunks != null) {
        ChunkedBody.Result r = c.chunks.feed(c.in, c.inLen);
        if (r.refusal() != null) {
          refuse(c, r.refusal());
        } else if (r.body() != null) {
          dispatch(c, r.body(), r.end(), false);
        }
        return;
      }
      long end = c.head.end() + c.head.bodyLength();
      if (c.inLen >= end) {
        dispatch(c, Arrays.copyOfRange(c.in, c.head.end(), (int) end), (int) end, false);
      }
    }
  }

  /**
   * 413. A body up to a bound is then read and dropped, so the client sees the answer rather than
   * a reset and its keep-alive connection stays usable; past the bound the connection is closed.
   */
  private void tooLarge(Connection c, RequestHead head) {
    boolean close = head.chunked() || head.bodyLength() > drainLimit() || !head.keepAlive();
    byte[] answer = Responses.error(413, "request body is larger than " + limits.maxBodyBytes() + " bytes (PULSE_API_MAX_BODY)", close);
    if (close) {
      startSend(c, answer, true, false);
      return;
    }
    c.consume(head.end());
    c.skip = head.bodyLength();
    startSend(c, answer, false, false);
  }

  private long drainLimit() {
    return Math.max(DRAIN_LIMIT, 4L * limits.maxBodyBytes());
  }

  private void dispatch(Connection c, byte[] body, int end, boolean forceClose) {
    RequestHead head = c.head;
    boolean close = forceClose || !head.keepAlive();
    c.state = Connection.State.HANDLING;
    c.key.interestOps(0);
    c.deadline = Long.MAX_VALUE;
    c.requestEnd = end;
    InetSocketAddress remote;
    InetSocketAddress local;
    try {
      remote = (InetSocketAddress) c.channel.getRemoteAddress();
      local = (InetSocketAddress) c.channel.getLocalAddress();
    } catch (IOException e) {
      close(c);
      return;
    }
    try {
      workers.execute(() -> {
        byte[] answer = null;
        boolean closeAfter = true;
        try {
          LoopExchange ex = new LoopExchange(head, body, remote, local);
          dispatcher.handle(ex);
          closeAfter = close || ex.wantsClose();
          answer = ex.render(closeAfter);
        } finally {
          // even a handler that failed past the Dispatcher gets its connection answered and freed
          byte[] bytes = answer != null ? answer : Responses.error(500, "internal error; the daemon's log has the details", true);
          boolean last = closeAfter;
          answered.add(() -> startSend(c, bytes, last, true));
          selector.wakeup();
        }
      });
    } catch (RejectedExecutionException e) {
      startSend(c, Responses.error(503, "the API is busy; retry in a moment", true), true, false);
    }
  }

  private void refuse(Connection c, Refusal r) {
    if (r.status() == 408) {
      log.debug("HTTP client {} too slow: {}", c.client.getHostAddress(), r.message());
    }
    startSend(c, Responses.error(r.status(), r.message(), true), true, false);
  }

  private void startSend(Connection c, byte[] bytes, boolean closeAfter, boolean handled) {
    if (!open.contains(c)) {
      return;
    }
    if (handled) {
      c.consume(c.requestEnd);
    }
    c.out = ByteBuffer.wrap(bytes);
    c.closeAfterSend = closeAfter;
    c.state = Connection.State.SENDING;
    try {
      send(c);
    } catch (IOException e) {
      close(c);
    }
  }

  private void send(Connection c) throws IOException {
    c.channel.write(c.out);
    if (c.out.hasRemaining()) {
      c.key.interestOps(SelectionKey.OP_WRITE);
      deadline(c, limits.idleTimeout());
      return;
    }
    c.out = null;
    if (c.closeAfterSend) {
      c.channel.shutdownOutput();
      c.state = Connection.State.CLOSING;
      c.key.interestOps(SelectionKey.OP_READ);
      deadline(c, LINGER_NANOS);
      return;
    }
    c.chunks = null;
    c.key.interestOps(SelectionKey.OP_READ);
    if (c.skip > 0) {
      c.state = Connection.State.SKIPPING;
      deadline(c, limits.bodyTimeout());
    } else {
      c.state = Connection.State.HEAD;
      deadline(c, c.started ? limits.headerTimeout() : limits.idleTimeout());
    }
    if (c.inLen > 0) {
      advance(c, 0); // the client sent its next request already (pipelining)
    }
  }

  private void sweep() {
    long now = System.nanoTime();
    nextSweep = Long.MAX_VALUE;
    for (Connection c : new ArrayList<>(open)) {
      if (c.deadline == Long.MAX_VALUE) {
        continue;
      }
      if (now - c.deadline < 0) {
        nextSweep = Math.min(nextSweep, c.deadline);
        continue;
      }
      switch (c.state) {
        case HEAD -> {
          if (c.started) {
            refuse(c, new Refusal(408, "the request headers did not arrive within " + Durations.format(limits.headerTimeout())
                + " (" + CoreSettings.API_HEADER_TIMEOUT + ")"));
          } else {
            close(c);
          }
        }
        case BODY -> refuse(c, new Refusal(408, "the request body did not arrive within " + Durations.format(limits.bodyTimeout())
            + " (" + CoreSettings.API_BODY_TIMEOUT + ")"));
        default -> close(c);
      }
    }
  }

  private void deadline(Connection c, Duration after) {
    deadline(c, after.toNanos());
  }

  private void deadline(Connection c, long afterNanos) {
    c.deadline = System.nanoTime() + afterNanos;
    nextSweep = nextSweep == Long.MAX_VALUE ? c.deadline : (c.deadline - nextSweep < 0 ? c.deadline : nextSweep);
  }

  private void close(Connection c) {
    if (!open.remove(c)) {
      return;
    }
    perClient.computeIfPresent(c.client, (k, n) -> n > 1 ? n - 1 : null);
    c.key.cancel();
    try {
      c.channel.close();
    } catch (IOException e) {
      // closing a socket the client has reset
    }
  }

  @Override
  public void close() {
    running = false;
    selector.wakeup();
    try {
      thread.join(Duration.ofSeconds(2).toMillis());
      selector.close();
      server.close();
    } catch (IOException e) {
      log.debug("closing the HTTP API: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
