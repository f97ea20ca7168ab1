package pulse.api;

/** What started a run. */
public enum Trigger {
  /** The schedule fired on time (or within its misfire grace while the daemon ran). */
  SCHEDULE("schedule"),
  /** Someone asked: {@code pulse run ID} or {@code POST /api/jobs/ID/run}. */
  MANUAL("manual"),
  /** A fire missed while the daemon was down, run once after start because it was inside the grace. */
  CATCH_UP("catch-up");

  private final String label;

  Trigger(String label) {
    this.label = label;
  }

  /** The name used in spans, the API and the run history. */
  public String label() {
    return label;
  }

  public static Trigger fromLabel(String label) {
    for (Trigger t : values()) {
      if (t.label.equals(label)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown trigger '" + label + "'");
  }
}
