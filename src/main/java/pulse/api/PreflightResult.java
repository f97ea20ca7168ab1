package pulse.api;

/**
 * One line of a job's preflight for {@code pulse check}: something it looked at, and whether it is
 * fine. Jobs that only report problems implement {@link Job#preflight} instead.
 *
 * @param ok false for a problem, which makes {@code pulse check} exit non-zero
 * @param text what was looked at and what was found, such as {@code check web: 200 in 35 ms}
 */
public record PreflightResult(boolean ok, String text) {

  public static PreflightResult passed(String text) {
    return new PreflightResult(true, text);
  }

  public static PreflightResult problem(String text) {
    return new PreflightResult(false, text);
  }
}
