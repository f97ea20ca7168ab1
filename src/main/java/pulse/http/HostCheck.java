package pulse.http;

import com.sun.net.httpserver.Headers;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Refuses requests for a host name the API does not go by, and browser writes from another origin.
 * A web page whose own name is rebound to 127.0.0.1 (DNS rebinding) reaches the API as
 * "same-origin" to the browser, but its requests still carry its name in {@code Host}.
 */
final class HostCheck {
  private final Set<String> allowed;

  /** @param allowed lower-case host names without port; IPv6 in brackets */
  HostCheck(Set<String> allowed) {
    this.allowed = allowed;
  }

  /** Why the Host header is refused, or empty. HTTP/1.0 requests may omit it. */
  Optional<String> hostProblem(Headers headers) {
    String host = headers.getFirst("Host");
    if (host == null || allowed.contains(name(host))) {
      return Optional.empty();
    }
    return Optional.of("this API does not answer to the host name in Host; add it to PULSE_API_ALLOWED_HOSTS if it is yours");
  }

  /** Why a write is refused as a cross-origin browser request, or empty. Clients other than browsers send no Origin. */
  Optional<String> originProblem(Headers headers) {
    String site = headers.getFirst("Sec-Fetch-Site");
    String origin = headers.getFirst("Origin");
    boolean foreign = "cross-site".equalsIgnoreCase(site) || "same-site".equalsIgnoreCase(site);
    if (origin != null && !foreign) {
      try {
        URI u = new URI(origin.strip());
        foreign = u.getHost() == null || !allowed.contains(name(u.getRawAuthority()));
      } catch (java.net.URISyntaxException e) {
        foreign = true;
      }
    }
    return foreign ? Optional.of("cross-origin browser writes are refused; call the API from a script or the pulse CLI")
        : Optional.empty();
  }

  /** host[:port] to the lower-case name, IPv6 kept in brackets. */
  private static String name(String hostPort) {
    String h = hostPort.strip().toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end < 0 ? h : h.substring(0, end + 1);
    }
    int colon = h.lastIndexOf(':');
    return colon < 0 ? h : h.substring(0, colon);
  }
}
