package pulse.http;

import com.sun.net.httpserver.Headers;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Reads an HTTP/1.1 request head from the bytes received so far, strictly: a head that is too
 * long is refused while it is still arriving (414 for the request line, 431 for the headers), and
 * anything ambiguous about where the body ends (two lengths, a length and chunking, an unknown
 * coding) is 400, because a proxy in front might read it differently (request smuggling).
 */
final class HeadParser {
  /** nginx's large_client_header_buffers is 8 KiB per line; a Pulse URL is far shorter. */
  static final int MAX_REQUEST_LINE = 8 * 1024;
  static final int MAX_HEAD = 32 * 1024;
  static final int MAX_HEADERS = 100;

  /** The outcome: a head, a refusal, or neither yet (wait for more bytes). */
  record Result(RequestHead head, Refusal refusal) {
    static final Result MORE = new Result(null, null);
  }

  private HeadParser() {}

  static Result parse(byte[] buf, int len) {
    int lineEnd = indexOf(buf, 0, len, (byte) '\n');
    if (lineEnd < 0) {
      return len > MAX_REQUEST_LINE ? refuse(414, "the request line is longer than " + MAX_REQUEST_LINE + " bytes") : Result.MORE;
    }
    if (lineEnd > MAX_REQUEST_LINE) {
      return refuse(414, "the request line is longer than " + MAX_REQUEST_LINE + " bytes");
    }
    int headers = 0;
    int start = lineEnd + 1;
    while (true) {
      int end = indexOf(buf, start, Math.min(len, MAX_HEAD + 1), (byte) '\n');
      if (end < 0) {
        return len > MAX_HEAD ? refuse(431, "the request headers are larger than " + MAX_HEAD + " bytes") : Result.MORE;
      }
      if (end == start || (end == start + 1 && buf[start] == '\r')) {
        return head(buf, lineEnd, lineEnd + 1, end + 1);
      }
      if (++headers > MAX_HEADERS) {
        return refuse(431, "the request has more than " + MAX_HEADERS + " headers");
      }
      start = end + 1;
    }
  }

  private static Result head(byte[] buf, int lineEnd, int headersStart, int end) {
    String[] parts = line(buf, 0, lineEnd).split(" ", -1);
    if (parts.length != 3 || parts[0].isEmpty() || !isToken(parts[0])) {
      return refuse(400, "the request line is not 'METHOD /path HTTP/1.1'");
    }
    if (!parts[2].equals("HTTP/1.1") && !parts[2].equals("HTTP/1.0")) {
      return refuse(400, "only HTTP/1.1 and HTTP/1.0 are spoken here, not " + printable(parts[2]));
    }
    URI uri;
    try {
      uri = new URI(parts[1]);
    } catch (URISyntaxException e) {
      return refuse(400, "the request target is not a valid URI; %-escape what it holds");
    }
    if (!parts[1].startsWith("/") || uri.getRawPath() == null) {
      return refuse(400, "the request target must be a path such as /api/health");
    }
    Headers headers = new Headers();
    int start = headersStart;
    while (start < end) {
      int nl = indexOf(buf, start, end, (byte) '\n');
      String h = line(buf, start, nl);
      start = nl + 1;
      if (h.isEmpty()) {
        break;
      }
      int colon = h.indexOf(':');
      if (colon <= 0 || !isToken(h.substring(0, colon))) {
        return refuse(400, "a header line is not 'Name: value' (no spaces before the colon, no folded lines)");
      }
      String value = h.substring(colon + 1).strip();
      if (value.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f)) {
        return refuse(400, "header " + h.substring(0, colon) + " holds a control character");
      }
      headers.add(h.substring(0, colon), value);
    }
    if (parts[2].equals("HTTP/1.1") && headers.getOrDefault("Host", List.of()).size() != 1) {
      return refuse(400, "an HTTP/1.1 request needs exactly one Host header");
    }
    long length;
    List<String> te = headers.get("Transfer-Encoding");
    List<String> cl = headers.get("Content-Length");
    if (te != null) {
      if (cl != null) {
        return refuse(400, "a request may have Content-Length or Transfer-Encoding, not both");
      }
      if (te.size() != 1 || !te.get(0).equalsIgnoreCase("chunked")) {
        return refuse(400, "the only transfer coding accepted is 'chunked'");
      }
      length = -1;
    } else if (cl != null) {
      if (cl.stream().distinct().count() != 1 || !cl.get(0).matches("[0-9]{1,18}")) {
        return refuse(400, "Content-Length must be one whole number of bytes");
      }
      length = Long.parseLong(cl.get(0));
    } else {
      length = 0;
    }
    return new Result(new RequestHead(parts[0], uri, parts[2], headers, end, length), null);
  }

  /** A line without its CR; ISO-8859-1 so that every byte maps to one char and nothing is lost. */
  private static String line(byte[] buf, int from, int lf) {
    int to = lf > from && buf[lf - 1] == '\r' ? lf - 1 : lf;
    return new String(buf, from, to - from, StandardCharsets.ISO_8859_1);
  }

  static int indexOf(byte[] buf, int from, int to, byte b) {
    for (int i = from; i < to; i++) {
      if (buf[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private static boolean isToken(String s) {
    return s.chars().allMatch(c -> c > 0x20 && c < 0x7f && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0);
  }

  private static String printable(String s) {
    return s.length() > 20 || !s.chars().allMatch(c -> c >= 0x20 && c < 0x7f) ? "what was sent" : "'" + s + "'";
  }

  private static Result refuse(int status, String message) {
    return new Result(null, new Refusal(status, message));
  }
}
