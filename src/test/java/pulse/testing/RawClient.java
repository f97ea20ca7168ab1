package pulse.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A client that speaks HTTP by hand over a plain socket, from any loopback source address
 * (127.0.0.2, 127.0.0.3... are loopback too), so a test can send what no HTTP library would:
 * half a request, a megabyte of header, a bad chunk size.
 */
public final class RawClient implements AutoCloseable {
  private final Socket socket;

  public RawClient(int port, String sourceAddress) throws IOException {
    socket = new Socket();
    socket.bind(new InetSocketAddress(InetAddress.getByName(sourceAddress), 0));
    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
    socket.setTcpNoDelay(true);
  }

  public RawClient(int port) throws IOException {
    this(port, "127.0.0.1");
  }

  public RawClient send(String text) throws IOException {
    return send(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  public RawClient send(byte[] bytes) throws IOException {
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
    return this;
  }

  /**
   * Sends the request from another thread while reading the answer here: a server that refuses a
   * huge request early answers before the client has finished sending it.
   */
  public String exchange(byte[] request, int timeoutMillis) throws IOException {
    Thread writer = new Thread(() -> {
      try {
        send(request);
      } catch (IOException e) {
        // the server stopped reading after its answer: expected for refused requests
      }
    }, "raw-client-writer");
    writer.setDaemon(true);
    writer.start();
    return readUntilClosed(timeoutMillis);
  }

  /** Everything the server sends until it closes, or until the timeout; "" if nothing came. */
  public String readUntilClosed(int timeoutMillis) throws IOException {
    socket.setSoTimeout(timeoutMillis);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    InputStream in = socket.getInputStream();
    byte[] buf = new byte[8192];
    try {
      for (int n; (n = in.read(buf)) > 0; ) {
        out.write(buf, 0, n);
      }
    } catch (SocketTimeoutException e) {
      throw new IllegalStateException("the server neither answered nor closed within " + timeoutMillis + " ms; got: " + out);
    } catch (IOException e) {
      // a reset after the answer: what was read is what counts
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  /** The status code of the first answer read within the timeout. */
  public int status(int timeoutMillis) throws IOException {
    return statusOf(readUntilClosed(timeoutMillis));
  }

  public static int statusOf(String response) {
    if (!response.startsWith("HTTP/1.1 ")) {
      throw new IllegalStateException("not an HTTP answer: '" + response + "'");
    }
    return Integer.parseInt(response.substring(9, 12));
  }

  /** True while the server keeps the connection open and has sent nothing (a read would block). */
  public boolean waiting() throws IOException {
    socket.setSoTimeout(1);
    try {
      socket.getInputStream().read();
      return false;
    } catch (SocketTimeoutException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
