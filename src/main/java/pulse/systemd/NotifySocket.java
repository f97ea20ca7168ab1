package pulse.systemd;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.newsclub.net.unix.AFUNIXDatagramSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The datagram socket systemd names in {@code NOTIFY_SOCKET}: a path, or {@code @name} for the
 * abstract namespace. Java 17 cannot send on a Unix datagram socket, hence junixsocket. A failed
 * send is logged once as a warning and never thrown: losing a notification must not stop jobs.
 */
final class NotifySocket implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NotifySocket.class);

  private final String name;
  private final AtomicBoolean warned = new AtomicBoolean();
  private SocketAddress address;
  private AFUNIXDatagramSocket socket;
  private boolean closed;

  NotifySocket(String name) {
    this.name = name;
  }

  /** Sends one datagram of {@code KEY=value} lines; false (and one warning) when it could not. */
  synchronized boolean send(String message) {
    if (closed) {
      return false;
    }
    try {
      if (socket == null) {
        address = parse(name);
        socket = AFUNIXDatagramSocket.newInstance();
      }
      // Unconnected sendto per message: a socket systemd re-created (daemon-reexec) still works.
      socket.getChannel().send(ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8)), address);
      return true;
    } catch (IOException | RuntimeException | LinkageError e) {
      // LinkageError: junixsocket's native library could not load (e.g. noexec temp directory).
      if (warned.compareAndSet(false, true)) {
        log.warn("Cannot notify systemd on NOTIFY_SOCKET={}: {}. Pulse keeps running; systemd may "
            + "time out waiting for READY=1 or the watchdog. Further send failures are not logged.", name, describe(e));
      }
      closeQuietly();
      return false;
    }
  }

  static SocketAddress parse(String name) throws IOException {
    if (name.startsWith("@")) {
      return AFUNIXSocketAddress.inAbstractNamespace(name.substring(1));
    }
    if (name.startsWith("/")) {
      return AFUNIXSocketAddress.of(Path.of(name));
    }
    throw new IOException("not a Unix socket path or @abstract name (vsock: is not supported)");
  }

  private static String describe(Throwable e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private void closeQuietly() {
    if (socket != null) {
      socket.close();
      socket = null;
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    closeQuietly();
  }
}
