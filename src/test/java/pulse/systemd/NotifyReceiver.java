package pulse.systemd;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.newsclub.net.unix.AFUNIXDatagramSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * What systemd does on its side of {@code NOTIFY_SOCKET}: a bound Unix datagram socket whose
 * received messages a test can read. {@link #notifySocket()} is the value to pass to the daemon.
 */
public final class NotifyReceiver implements AutoCloseable {
  private final AFUNIXDatagramSocket socket;
  private final String notifySocket;
  private final List<Message> messages = new CopyOnWriteArrayList<>();
  private final Thread reader;

  /** One datagram and when it arrived (System.nanoTime()). */
  public record Message(String text, long nanos) {}

  private NotifyReceiver(AFUNIXSocketAddress address, String notifySocket) throws IOException {
    this.socket = AFUNIXDatagramSocket.newInstance();
    socket.bind(address);
    socket.setSoTimeout(100);
    this.notifySocket = notifySocket;
    this.reader = new Thread(this::read, "notify-receiver");
    reader.setDaemon(true);
    reader.start();
  }

  /** A socket file in {@code dir}, as systemd's /run/systemd/notify. */
  public static NotifyReceiver inDirectory(Path dir) throws IOException {
    Path path = dir.resolve("notify.sock");
    return new NotifyReceiver(AFUNIXSocketAddress.of(path), path.toString());
  }

  /** A socket in the abstract namespace, named {@code @name} in NOTIFY_SOCKET. */
  public static NotifyReceiver abstractNamed(String name) throws IOException {
    return new NotifyReceiver(AFUNIXSocketAddress.inAbstractNamespace(name), "@" + name);
  }

  public String notifySocket() {
    return notifySocket;
  }

  public List<Message> messages() {
    return new ArrayList<>(messages);
  }

  /** Messages that hold {@code line} as one of their KEY=value lines. */
  public List<Message> with(String line) {
    return messages.stream().filter(m -> m.text().lines().anyMatch(line::equals)).toList();
  }

  public long count(String line) {
    return with(line).size();
  }

  /** Index in arrival order of the first message holding {@code line}, or -1. */
  public int indexOf(String line) {
    List<Message> all = messages();
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i).text().lines().anyMatch(line::equals)) {
        return i;
      }
    }
    return -1;
  }

  public static Duration between(Message a, Message b) {
    return Duration.ofNanos(b.nanos() - a.nanos());
  }

  private void read() {
    byte[] buf = new byte[4096];
    while (!socket.isClosed()) {
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      try {
        socket.receive(p);
        messages.add(new Message(new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8), System.nanoTime()));
      } catch (SocketTimeoutException e) {
        // poll again: lets close() end the loop
      } catch (IOException e) {
        return;
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    socket.close();
    reader.join(2000);
  }
}
