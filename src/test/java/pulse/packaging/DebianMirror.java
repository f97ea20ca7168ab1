package pulse.packaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Debian mirror this machine's apt uses, so debootstrap works where only that mirror is reachable. */
final class DebianMirror {
  static final String FALLBACK = "http://deb.debian.org/debian";
  private static final Pattern URI = Pattern.compile("(?m)^(?:deb\\s+(?:\\[[^]]*]\\s+)?|URIs:\\s*)(\\S+)");

  private DebianMirror() {}

  static String fromAptSources() throws IOException {
    List<Path> files = new ArrayList<>();
    Path main = Path.of("/etc/apt/sources.list");
    if (Files.isRegularFile(main)) {
      files.add(main);
    }
    Path dir = Path.of("/etc/apt/sources.list.d");
    if (Files.isDirectory(dir)) {
      try (var s = Files.list(dir)) {
        s.filter(p -> p.toString().endsWith(".list") || p.toString().endsWith(".sources")).sorted().forEach(files::add);
      }
    }
    for (Path f : files) {
      Matcher m = URI.matcher(Files.readString(f));
      while (m.find()) {
        String uri = m.group(1);
        if (uri.matches("https?://.*/debian/?") ) {
          return uri.replaceAll("/$", "");
        }
      }
    }
    return FALLBACK;
  }
}
