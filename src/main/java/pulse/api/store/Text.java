package pulse.api.store;

/** Cutting text to a column's size, so a long error or output never fails the write that carries it. */
public final class Text {
  private Text() {}

  /** The start of {@code s}, at most {@code max} characters, ending in an ellipsis when cut. */
  public static String head(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }

  /** The end of {@code s} (where a command's output says what went wrong), at most {@code max} characters. */
  public static String tail(String s, int max) {
    return s == null || s.length() <= max ? s : "…" + s.substring(s.length() - max + 1);
  }
}
