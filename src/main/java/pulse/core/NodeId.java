package pulse.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * This node's id: the host name and a random suffix, made on the first start and kept in {@code
 * <state dir>/node-id}, so a restart (or a new host name) keeps the leases and history it owns, and
 * two hosts cloned from one image still differ once each made its own.
 */
final class NodeId {
  static final String FILE = "node-id";
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  private NodeId() {}

  static String load(Path stateDir) {
    Path file = stateDir.resolve(FILE);
    try {
      if (Files.exists(file)) {
        String id = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (VALID.matcher(id).matches()) {
          return id;
        }
        throw new IllegalStateException(file + " holds '" + id + "', not a node id (letters, digits, . _ -);"
            + " delete the file and Pulse makes a new one");
      }
      String id = host() + "-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
      Path tmp = file.resolveSibling(FILE + ".tmp");
      Files.writeString(tmp, id + "\n", StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return id;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep this node's id in " + file + ": " + e.getMessage(), e);
    }
  }

  private static String host() {
    String h;
    try {
      h = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      h = "node";
    }
    h = h.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-");
    int dot = h.indexOf('.');
    h = dot > 0 ? h.substring(0, dot) : h;
    return h.isEmpty() || !Character.isLetterOrDigit(h.charAt(0)) ? "node" : h.substring(0, Math.min(h.length(), 60));
  }
}
