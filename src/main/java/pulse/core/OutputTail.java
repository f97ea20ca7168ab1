package pulse.core;

import java.util.ArrayDeque;
import java.util.Deque;

/** The last lines a run wrote, bounded in characters so a chatty job cannot fill memory. */
final class OutputTail {
  static final int MAX_CHARS = 16_000;
  private final Deque<String> lines = new ArrayDeque<>();
  private int chars;

  synchronized void add(String line) {
    String l = line.length() > MAX_CHARS ? line.substring(line.length() - MAX_CHARS) : line;
    lines.addLast(l);
    chars += l.length() + 1;
    while (chars > MAX_CHARS && lines.size() > 1) {
      chars -= lines.removeFirst().length() + 1;
    }
  }

  synchronized String text() {
    return lines.isEmpty() ? null : String.join("\n", lines);
  }
}
