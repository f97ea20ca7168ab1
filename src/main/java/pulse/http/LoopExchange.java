package pulse.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * A whole request, already read by {@link ConnectionLoop}, behind the JDK's {@link HttpExchange}
 * so that {@link Dispatcher} is written against the standard type. The answer is collected in
 * memory and handed back to the loop as bytes: a handler thread never touches the socket, so a
 * client that reads slowly cannot hold it.
 */
final class LoopExchange extends HttpExchange {
  private final RequestHead head;
  private final byte[] body;
  private final InetSocketAddress remote;
  private final InetSocketAddress local;
  private final Headers responseHeaders = new Headers();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final Map<String, Object> attributes = new HashMap<>();
  private int status = -1;
  private boolean bodyless;

  LoopExchange(RequestHead head, byte[] body, InetSocketAddress remote, InetSocketAddress local) {
    this.head = head;
    this.body = body;
    this.remote = remote;
    this.local = local;
  }

  /**
   * The answer as bytes on the wire. A handler that wrote nothing (it failed) becomes a 500 the
   * loop can still send.
   */
  byte[] render(boolean close) {
    if (status < 0) {
      return Responses.error(500, "internal error; the daemon's log has the details", true);
    }
    boolean head = this.head.method().equals("HEAD");
    byte[] payload = bodyless || head ? new byte[0] : out.toByteArray();
    if (!responseHeaders.containsKey("Content-Length") && status >= 200 && status != 204 && status != 304) {
      responseHeaders.set("Content-Length", String.valueOf(payload.length));
    }
    if (close) {
      responseHeaders.set("Connection", "close");
    }
    return Responses.wire(status, responseHeaders, payload);
  }

  boolean wantsClose() {
    return "close".equalsIgnoreCase(responseHeaders.getFirst("Connection"));
  }

  @Override
  public Headers getRequestHeaders() {
    return head.headers();
  }

  @Override
  public Headers getResponseHeaders() {
    return responseHeaders;
  }

  @Override
  public URI getRequestURI() {
    return head.uri();
  }

  @Override
  public String getRequestMethod() {
    return head.method();
  }

  @Override
  public HttpContext getHttpContext() {
    return null;
  }

  @Override
  public void close() {
    // nothing to release: the loop sends what render() returns
  }

  @Override
  public InputStream getRequestBody() {
    return new ByteArrayInputStream(body);
  }

  @Override
  public OutputStream getResponseBody() {
    return out;
  }

  @Override
  public void sendResponseHeaders(int rCode, long responseLength) {
    if (status >= 0) {
      throw new IllegalStateException("response headers already sent");
    }
    status = rCode;
    bodyless = responseLength < 0;
  }

  @Override
  public InetSocketAddress getRemoteAddress() {
    return remote;
  }

  @Override
  public int getResponseCode() {
    return status;
  }

  @Override
  public InetSocketAddress getLocalAddress() {
    return local;
  }

  @Override
  public String getProtocol() {
    return head.protocol();
  }

  @Override
  public Object getAttribute(String name) {
    return attributes.get(name);
  }

  @Override
  public void setAttribute(String name, Object value) {
    attributes.put(name, value);
  }

  @Override
  public void setStreams(InputStream i, OutputStream o) {
    throw new UnsupportedOperationException("filters are not used");
  }

  @Override
  public HttpPrincipal getPrincipal() {
    return null;
  }
}
