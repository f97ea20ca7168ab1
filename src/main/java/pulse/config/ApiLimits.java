package pulse.config;

import java.time.Duration;

/**
 * What one client may cost the HTTP API. Every read has a deadline and every connection counts
 * against its address, so slow or idle clients cannot hold what answers the others.
 *
 * @param headerTimeout from a request's first byte to the end of its headers (then 408)
 * @param bodyTimeout from the end of the headers to the end of the body (then 408)
 * @param idleTimeout a keep-alive connection with no request, or an answer the client does not read
 * @param maxConnectionsPerClient open connections one client address may hold (then 429)
 */
public record ApiLimits(
    int maxBodyBytes, Duration headerTimeout, Duration bodyTimeout, Duration idleTimeout, int maxConnectionsPerClient) {}
