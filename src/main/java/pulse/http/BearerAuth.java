package pulse.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * Checks {@code Authorization: Bearer <token>} in constant time. Both sides are hashed first, so
 * the comparison takes the same time whatever the length or the first differing byte.
 */
final class BearerAuth {
  private static final String PREFIX = "Bearer ";
  private final byte[] write;
  private final byte[] read;

  /**
   * @param writeToken PULSE_API_TOKEN; empty means writes are off
   * @param readToken PULSE_API_READ_TOKEN; empty means reads are open
   */
  BearerAuth(Optional<String> writeToken, Optional<String> readToken) {
    this.write = writeToken.map(BearerAuth::sha256).orElse(null);
    this.read = readToken.map(BearerAuth::sha256).orElse(null);
  }

  BearerAuth(Optional<String> writeToken) {
    this(writeToken, Optional.empty());
  }

  boolean writesEnabled() {
    return write != null;
  }

  boolean readsNeedToken() {
    return read != null;
  }

  boolean accepts(String authorizationHeader) {
    return matches(write, authorizationHeader);
  }

  /** The read token, or the write token, which reads too. */
  boolean acceptsRead(String authorizationHeader) {
    boolean r = matches(read, authorizationHeader);
    boolean w = matches(write, authorizationHeader); // both compared always: the time says nothing about which
    return r || w;
  }

  private static boolean matches(byte[] expected, String authorizationHeader) {
    if (expected == null || authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      return false;
    }
    byte[] presented = sha256(authorizationHeader.substring(PREFIX.length()).trim());
    return MessageDigest.isEqual(expected, presented);
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
