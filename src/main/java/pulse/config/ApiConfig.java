package pulse.config;

import java.net.URI;
import java.util.Optional;

/**
 * The HTTP API's settings.
 *
 * @param url where CLI commands reach the daemon
 */
public record ApiConfig(String host, int port, Optional<String> token, ApiLimits limits, URI url) {

  @Override
  public String toString() {
    // a record's default toString would print the token
    return "ApiConfig[host=" + host + ", port=" + port + ", token=" + (token.isPresent() ? Redactor.MASK : "none")
        + ", limits=" + limits + ", url=" + url + "]";
  }
}
