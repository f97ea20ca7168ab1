package pulse.http;

import com.sun.net.httpserver.Headers;
import java.net.URI;

/**
 * A request line and its headers, as {@link HeadParser} read them.
 *
 * @param end offset just past the blank line that ends the head
 * @param bodyLength the Content-Length, 0 when there is none, -1 for a chunked body
 */
record RequestHead(String method, URI uri, String protocol, Headers headers, int end, long bodyLength) {

  boolean chunked() {
    return bodyLength < 0;
  }

  boolean hasBody() {
    return bodyLength != 0;
  }

  /** HTTP/1.0 closes unless asked to keep alive; HTTP/1.1 keeps alive unless asked to close. */
  boolean keepAlive() {
    String c = headers.getFirst("Connection");
    if (protocol.equals("HTTP/1.0")) {
      return c != null && c.equalsIgnoreCase("keep-alive");
    }
    return c == null || !c.equalsIgnoreCase("close");
  }

  boolean expectsContinue() {
    String e = headers.getFirst("Expect");
    return e != null && e.equalsIgnoreCase("100-continue");
  }
}
