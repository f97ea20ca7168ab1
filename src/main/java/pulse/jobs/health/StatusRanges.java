package pulse.jobs.health;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Accepted HTTP statuses, written {@code 200}, {@code 200-299}, {@code 2xx} or a comma list of these. */
record StatusRanges(List<int[]> ranges, String text) {

  static StatusRanges parse(String text) {
    List<int[]> out = new ArrayList<>();
    for (String raw : text.split(",")) {
      String p = raw.trim().toLowerCase(Locale.ROOT);
      if (!CheckSyntax.validStatusPart(p)) {
        throw new IllegalArgumentException("'" + raw.trim() + "' is not a status; write codes, ranges or"
            + " classes such as 200, 200-299, 2xx or 200,301");
      }
      int lo;
      int hi;
      if (p.endsWith("xx")) {
        lo = (p.charAt(0) - '0') * 100;
        hi = lo + 99;
      } else if (p.contains("-")) {
        lo = Integer.parseInt(p.substring(0, 3));
        hi = Integer.parseInt(p.substring(4));
      } else {
        lo = Integer.parseInt(p);
        hi = lo;
      }
      if (lo < 100 || hi > 599 || lo > hi) {
        throw new IllegalArgumentException("'" + raw.trim() + "' is not a status range from 100 to 599; write it"
            + " like 200-299");
      }
      out.add(new int[] {lo, hi});
    }
    return new StatusRanges(List.copyOf(out), text.trim());
  }

  boolean accepts(int status) {
    return ranges.stream().anyMatch(r -> status >= r[0] && status <= r[1]);
  }
}
