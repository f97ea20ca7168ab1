package pulse.api;

/** A section of the status page. */
public interface StatusSection {

  String title();

  /** An HTML fragment; the extension escapes what it shows. Called on every page view. */
  String html();

  /** True for a section that belongs above the jobs table, such as open alerts. */
  default boolean top() {
    return false;
  }
}
