package pulse.jobs.health;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;

/** {@code tcp://host:port}: healthy when a TCP connection opens within the timeout. */
final class TcpCheck implements Check {
  private final CheckDefinition def;
  private final String host;
  private final int port;

  TcpCheck(CheckDefinition def) {
    this.def = def;
    URI u = URI.create(def.value().trim());
    this.host = u.getHost();
    this.port = u.getPort();
  }

  @Override
  public CheckDefinition definition() {
    return def;
  }

  @Override
  public String probe() throws CheckFailedException, IOException {
    long t0 = System.nanoTime();
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), (int) def.timeout().toMillis());
    } catch (ConnectException e) {
      throw new CheckFailedException(host + ":" + port + " refused the connection (nothing listens there?)");
    } catch (SocketTimeoutException e) {
      throw new CheckFailedException("no answer from " + host + ":" + port + " within " + CheckRunner.text(def.timeout()));
    } catch (UnknownHostException e) {
      throw new CheckFailedException("unknown host " + host);
    }
    return "connected in " + CheckRunner.millis(System.nanoTime() - t0);
  }
}
