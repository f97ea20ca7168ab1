package pulse.jobs.health;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Byte sizes as people write them: {@code 500MB}, {@code 5GB}, {@code 1.5TiB}, {@code 1048576}. */
final class Sizes {
  private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgtp]?)(i?)b?");

  private Sizes() {}

  /** Decimal units (KB = 1000) and binary ones (KiB = 1024), as df -H and df -h print them. */
  static long parse(String text) {
    Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException("not a size; write it like 500MB, 5GB, 1.5TiB or a number of bytes");
    }
    double n = Double.parseDouble(m.group(1));
    int power = "kmgtp".indexOf(m.group(2).isEmpty() ? "-" : m.group(2)) + 1;
    double base = m.group(3).isEmpty() ? 1000 : 1024;
    return (long) (n * Math.pow(base, power));
  }

  /** Like df -H: {@code 3.2 GB}. */
  static String format(long bytes) {
    String[] units = {"B", "kB", "MB", "GB", "TB", "PB"};
    double v = bytes;
    int i = 0;
    while (v >= 1000 && i < units.length - 1) {
      v /= 1000;
      i++;
    }
    return i == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[i]);
  }
}
