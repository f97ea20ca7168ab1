package pulse.config;

import java.net.URI;
import java.util.Optional;
import java.util.Set;

/**
 * The HTTP API's settings.
 *
 * @param token the write token (it reads too)
 * @param readToken the read token; with neither token set, reads are open
 * @param allowedHosts Host header names (lower case, no port) the API answers to
 * @param url where CLI commands reach the daemon
 */
public record ApiConfig(String host, int port, Optional<String> token, Optional<String> readToken, Set<String> allowedHosts,
    ApiLimits limits, URI url) {

  @Override
  public String toString() {
    // a record's default toString would print the token
    return "ApiConfig[host=" + host + ", port=" + port + ", token=" + (token.isPresent() ? Redactor.MASK : "none")
        + ", readToken=" + (readToken.isPresent() ? Redactor.MASK : "none") + ", allowedHosts=" + allowedHosts + ", limits=" + limits + ", url=" + url + "]";
  }
}
