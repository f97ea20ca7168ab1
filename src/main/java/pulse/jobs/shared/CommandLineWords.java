package pulse.jobs.shared;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a setting such as {@code hapi run --text} or {@code "/opt/my agent/run" --quiet} into
 * words, with single and double quotes, the way a shell would for plain words — but nothing is
 * expanded and nothing ever runs through a shell: the words become an argument vector.
 */
public final class CommandLineWords {
  private CommandLineWords() {}

  /**
   * @throws IllegalArgumentException for an unclosed quote, with a message that says how to fix it
   */
  public static List<String> split(String text) {
    List<String> words = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          cur.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(cur.toString());
          cur.setLength(0);
          inWord = false;
        }
      } else {
        cur.append(c);
        inWord = true;
      }
    }
    if (quote != 0) {
      throw new IllegalArgumentException("has an unclosed " + quote + " quote; close it (no shell runs: quotes only group words)");
    }
    if (inWord) {
      words.add(cur.toString());
    }
    return List.copyOf(words);
  }
}
