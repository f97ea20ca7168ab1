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
  private final byte[] expected;

  /** @param token PULSE_API_TOKEN; empty means writes are off */
  BearerAuth(Optional<String> token) {
    this.expected = token.map(BearerAuth::sha256).orElse(null);
  }

  boolean writesEnabled() {
    return expected != null;
  }

  boolean accepts(String authorizationHeader) {
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
