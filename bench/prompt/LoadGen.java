import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small closed-loop HTTP/1.1 load generator: C connections with keep-alive, each sending POST
 * /api/pulse/schedule and waiting for its answer before the next. Raw sockets, so the client adds
 * next to nothing to the latency it measures. Run with: java LoadGen.java PORT TOKEN CONNS WARMUP REQUESTS
 */
public final class LoadGen {
  public static void main(String[] a) throws Exception {
    int port = Integer.parseInt(a[0]);
    String token = a[1];
    int conns = Integer.parseInt(a[2]);
    int warmup = Integer.parseInt(a[3]);
    int requests = Integer.parseInt(a[4]);
    run(port, token, conns, warmup, false);
    if (requests == 0) {
      return;
    }
    long[] lat = new long[requests];
    AtomicInteger errors = new AtomicInteger();
    long t0 = System.nanoTime();
    int done = run(port, token, conns, requests, true, lat, errors);
    double secs = (System.nanoTime() - t0) / 1e9;
    long[] ok = Arrays.copyOf(lat, done);
    Arrays.sort(ok);
    System.out.printf("requests    %d in %.2f s over %d keep-alive connections (non-2xx: %d)%n", done, secs, conns, errors.get());
    System.out.printf("throughput  %.0f req/s%n", done / secs);
    System.out.printf("latency ms  p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f%n",
        pct(ok, 50), pct(ok, 90), pct(ok, 99), pct(ok, 99.9), ok[ok.length - 1] / 1e6);
  }

  static double pct(long[] sorted, double p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
  }

  static int run(int port, String token, int conns, int total, boolean measure) throws Exception {
    return run(port, token, conns, total, measure, new long[total], new AtomicInteger());
  }

  static int run(int port, String token, int conns, int total, boolean measure, long[] lat, AtomicInteger errors)
      throws Exception {
    AtomicInteger next = new AtomicInteger();
    Thread[] ts = new Thread[conns];
    for (int c = 0; c < conns; c++) {
      ts[c] = new Thread(() -> {
        try (Socket s = new Socket("127.0.0.1", port)) {
          s.setTcpNoDelay(true);
          OutputStream out = s.getOutputStream();
          InputStream in = s.getInputStream();
          int i;
          while ((i = next.getAndIncrement()) < total) {
            byte[] body = ("{\"prompt\":\"bench pulse " + i + "\",\"scheduled_at\":\"in 1h\",\"priority\":\"low\",\"source\":\"bench\"}")
                .getBytes(StandardCharsets.UTF_8);
            byte[] head = ("POST /api/pulse/schedule HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            long t = System.nanoTime();
            out.write(concat(head, body));
            out.flush();
            int status = readResponse(in);
            lat[i] = System.nanoTime() - t;
            if (status != 201) {
              errors.incrementAndGet();
            }
          }
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
      ts[c].start();
    }
    for (Thread t : ts) {
      t.join();
    }
    return Math.min(total, next.get());
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] r = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  /** Reads one response (status line, headers, Content-Length body); returns the status. */
  static int readResponse(InputStream in) throws IOException {
    ByteArrayOutputStream h = new ByteArrayOutputStream();
    int m = 0;
    while (m < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed");
      }
      h.write(b);
      m = (b == '\r' && (m == 0 || m == 2)) || (b == '\n' && (m == 1 || m == 3)) ? m + 1 : (b == '\r' ? 1 : 0);
    }
    String head = h.toString(StandardCharsets.US_ASCII);
    int status = Integer.parseInt(head.substring(9, 12));
    int len = 0;
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) {
        len = Integer.parseInt(line.substring(15).trim());
      }
    }
    in.readNBytes(len);
    return status;
  }
}
