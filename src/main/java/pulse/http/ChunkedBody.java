package pulse.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Decodes a chunked request body as its bytes arrive, resuming where the last call stopped, so a
 * body sent a byte at a time costs no more than one sent at once. Chunk sizes are strict hex of at
 * most 7 digits (a size near 2^63 would overflow, and none fits under the body limit anyway); the
 * number of chunks is bounded, so framing cannot cost more memory than the body itself.
 */
final class ChunkedBody {
  static final int MAX_CHUNKS = 1024;
  static final int MAX_SIZE_LINE = 256;
  private static final int MAX_SIZE_DIGITS = 7;

  /** The decoded body and the offset just past it, or a refusal, or neither yet. */
  record Result(byte[] body, int end, Refusal refusal) {
    static final Result MORE = new Result(null, -1, null);
  }

  private final int maxBody;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private int pos;
  private int chunks;
  private boolean trailers;

  ChunkedBody(int from, int maxBody) {
    this.pos = from;
    this.maxBody = maxBody;
  }

  /** Raw bytes a chunked body may take in the buffer: the body plus its framing. */
  static int rawLimit(int maxBody) {
    return maxBody + MAX_CHUNKS * (MAX_SIZE_LINE + 2) + HeadParser.MAX_HEAD;
  }

  Result feed(byte[] buf, int len) {
    while (true) {
      int lf = HeadParser.indexOf(buf, pos, len, (byte) '\n');
      if (trailers) {
        if (lf < 0) {
          return len - pos > HeadParser.MAX_HEAD ? bad("the chunked body's trailers are too large") : Result.MORE;
        }
        boolean blank = lf == pos || (lf == pos + 1 && buf[pos] == '\r');
        pos = lf + 1;
        if (blank) {
          return new Result(out.toByteArray(), pos, null);
        }
        continue;
      }
      if (lf < 0) {
        return len - pos > MAX_SIZE_LINE ? bad("a chunk-size line is longer than " + MAX_SIZE_LINE + " bytes") : Result.MORE;
      }
      String line = new String(buf, pos, lf - pos, StandardCharsets.ISO_8859_1).strip();
      int semi = line.indexOf(';');
      String hex = semi < 0 ? line : line.substring(0, semi).strip();
      if (hex.isEmpty() || hex.length() > MAX_SIZE_DIGITS || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
        return bad("bad chunk size '" + (hex.length() > 20 ? hex.substring(0, 20) + "…" : hex) + "': chunk sizes are hex numbers");
      }
      int size = Integer.parseInt(hex, 16);
      if (size == 0) {
        pos = lf + 1;
        trailers = true;
        continue;
      }
      if (out.size() + (long) size > maxBody) {
        return new Result(null, -1, new Refusal(413, "request body is larger than " + maxBody + " bytes (PULSE_API_MAX_BODY)"));
      }
      if (++chunks > MAX_CHUNKS) {
        return bad("the body has more than " + MAX_CHUNKS + " chunks; send larger ones");
      }
      if (len - (lf + 1) < size + 2) {
        chunks--;
        return Result.MORE; // the size line is read again when more arrives: it is short
      }
      int data = lf + 1;
      if (buf[data + size] != '\r' || buf[data + size + 1] != '\n') {
        return bad("a chunk is longer than its size says");
      }
      out.write(buf, data, size);
      pos = data + size + 2;
    }
  }

  private static Result bad(String message) {
    return new Result(null, -1, new Refusal(400, message));
  }
}
