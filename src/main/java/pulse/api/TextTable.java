package pulse.api;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table for CLI commands, the core's and those an {@link Extension} adds: columns as
 * wide as their longest cell, two spaces apart, the last column unpadded, a null cell shown as
 * {@code -}. One shape for every {@code pulse} command's output.
 */
public final class TextTable {
  private final List<String[]> rows = new ArrayList<>();

  public TextTable(String... header) {
    rows.add(header);
  }

  public TextTable row(String... cells) {
    rows.add(cells);
    return this;
  }

  public void print(PrintWriter out) {
    print(out, rows);
  }

  /** Prints {@code rows}, the first of which is the header. */
  public static void print(PrintWriter out, List<String[]> rows) {
    int cols = rows.get(0).length;
    int[] width = new int[cols];
    for (String[] r : rows) {
      for (int i = 0; i < cols - 1; i++) {
        width[i] = Math.max(width[i], cell(r, i).length());
      }
    }
    for (String[] r : rows) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < cols; i++) {
        String c = cell(r, i);
        b.append(i < cols - 1 ? String.format("%-" + width[i] + "s  ", c) : c);
      }
      out.println(b.toString().stripTrailing());
    }
    out.flush();
  }

  private static String cell(String[] row, int i) {
    return i < row.length && row[i] != null ? row[i] : "-";
  }
}
