package pulse.jobs.health;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * {@code http(s)://...}: a GET that must answer an accepted status, optionally contain a text, be
 * fast enough, and (over TLS) present a certificate that does not expire within the warning window.
 * Redirects are judged as answers unless {@code _FOLLOW_REDIRECTS=true}: a login page behind a 302
 * is not the health endpoint.
 */
final class HttpCheck implements Check {
  /** The body is searched up to here; a health endpoint that sends more is not a health endpoint. */
  static final int MAX_BODY = 1024 * 1024;

  private final CheckDefinition def;
  private final URI uri;
  private final HttpClient client;
  private final StatusRanges expect;
  private final Optional<String> bodyContains;
  private final Optional<Duration> maxLatency;
  private final int tlsWarnDays;
  private final Clock clock;

  HttpCheck(CheckDefinition def, Clock clock) {
    this.def = def;
    this.clock = clock;
    this.uri = URI.create(def.value().trim());
    this.expect = StatusRanges.parse(def.option(CheckOption.EXPECT_STATUS).orElseThrow());
    this.bodyContains = def.option(CheckOption.BODY_CONTAINS);
    this.maxLatency = def.duration(CheckOption.MAX_LATENCY);
    this.tlsWarnDays = def.integer(CheckOption.TLS_WARN_DAYS).orElseThrow();
    // One client per check, built once: a JDK HttpClient keeps threads until it is collected.
    HttpClient.Builder b = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(def.timeout())
        .followRedirects(def.bool(CheckOption.FOLLOW_REDIRECTS) ? HttpClient.Redirect.NORMAL : HttpClient.Redirect.NEVER);
    Optional<String> ca = def.option(CheckOption.CA_FILE);
    if (ca.isPresent()) {
      try {
        b.sslContext(Tls.trusting(Path.of(ca.get())));
      } catch (IOException | GeneralSecurityException e) {
        throw new IllegalStateException(def.key(CheckOption.CA_FILE) + ": " + e.getMessage(), e);
      }
    }
    this.client = b.build();
  }

  @Override
  public CheckDefinition definition() {
    return def;
  }

  @Override
  public String probe() throws CheckFailedException, IOException, InterruptedException {
    HttpRequest req = HttpRequest.newBuilder(uri).timeout(def.timeout()).header("User-Agent", "pulse-health-check").GET().build();
    long t0 = System.nanoTime();
    HttpResponse<InputStream> r;
    byte[] body;
    try {
      r = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = r.body()) {
        body = in.readNBytes(MAX_BODY);
      }
    } catch (HttpConnectTimeoutException e) {
      throw new CheckFailedException("could not connect to " + hostPort() + " within " + CheckRunner.text(def.timeout()));
    } catch (HttpTimeoutException e) {
      throw new CheckFailedException("no answer within " + CheckRunner.text(def.timeout()));
    } catch (ConnectException e) {
      if (causedBy(e, UnresolvedAddressException.class)) {
        throw new CheckFailedException("cannot resolve the host " + uri.getHost() + " (a typo, or DNS is down)");
      }
      throw new CheckFailedException(hostPort() + " refused the connection (nothing listens there?)");
    } catch (SSLException e) {
      throw new CheckFailedException("TLS handshake with " + hostPort() + " failed: " + tlsReason(e));
    }
    long nanos = System.nanoTime() - t0;
    int status = r.statusCode();
    if (!expect.accepts(status)) {
      String more = "";
      if (status >= 300 && status < 400) {
        more = r.headers().firstValue("Location").map(l -> " to " + l).orElse("")
            + "; set " + def.key(CheckOption.FOLLOW_REDIRECTS) + "=true to follow it, or "
            + def.key(CheckOption.EXPECT_STATUS) + "=" + status + " to accept it";
      }
      throw new CheckFailedException("answered " + status + more + " (expected " + expect.text() + ")");
    }
    if (bodyContains.isPresent() && !new String(body, StandardCharsets.UTF_8).contains(bodyContains.get())) {
      throw new CheckFailedException("answered " + status + " but the body does not contain '" + bodyContains.get() + "'");
    }
    Duration took = Duration.ofNanos(nanos);
    if (maxLatency.isPresent() && took.compareTo(maxLatency.get()) > 0) {
      throw new CheckFailedException("answered " + status + " in " + CheckRunner.millis(nanos) + ", slower than "
          + def.key(CheckOption.MAX_LATENCY) + "=" + def.option(CheckOption.MAX_LATENCY).orElseThrow());
    }
    String seen = status + " in " + CheckRunner.millis(nanos);
    Optional<X509Certificate> cert = r.sslSession().flatMap(HttpCheck::peer);
    if (cert.isPresent()) {
      Instant notAfter = cert.get().getNotAfter().toInstant();
      long days = Duration.between(clock.instant(), notAfter).toDays();
      if (tlsWarnDays > 0 && notAfter.isBefore(clock.instant().plus(Duration.ofDays(tlsWarnDays)))) {
        throw new CheckFailedException("TLS certificate of " + uri.getHost() + " expires in " + days + " day(s), on "
            + notAfter + " (warning from " + tlsWarnDays + " days before, " + def.key(CheckOption.TLS_WARN_DAYS)
            + "); renew it");
      }
      seen += ", certificate valid for " + days + " more days";
    }
    return seen;
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private String hostPort() {
    int port = uri.getPort() > 0 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    return uri.getHost() + ":" + port;
  }

  private static Optional<X509Certificate> peer(SSLSession s) {
    try {
      Certificate[] chain = s.getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof X509Certificate x ? Optional.of(x) : Optional.empty();
    } catch (SSLPeerUnverifiedException e) {
      return Optional.empty();
    }
  }

  /** The JDK's TLS errors are long chains; name the usual causes. */
  private String tlsReason(SSLException e) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      all.append(t.getMessage()).append(' ');
    }
    String s = all.toString();
    if (s.contains("CertificateExpiredException") || s.contains("validity check failed") || s.contains("NotAfter")) {
      return "the certificate has expired; renew it";
    }
    if (s.contains("PKIX path") || s.contains("unable to find valid certification path")) {
      return "the certificate is not trusted (unknown or self-signed CA); fix the certificate, or trust its CA with "
          + def.key(CheckOption.CA_FILE) + "=<PEM file>";
    }
    if (s.contains("No subject alternative") || s.contains("doesn't match")) {
      return "the certificate is not for " + uri.getHost() + " (" + e.getMessage() + ")";
    }
    return e.getMessage();
  }
}
