package pulse.config;

import java.util.List;

/**
 * Configuration that cannot be used. Each problem is one line naming the key, the value (redacted
 * when secret) and the fix. The CLI prints the lines and exits 78 (EX_CONFIG), which the systemd
 * unit lists in RestartPreventExitStatus so a bad config is not restarted in a loop.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final List<String> problems;

  public ConfigException(List<String> problems) {
    super(String.join("\n", masked(problems)));
    this.problems = masked(problems);
  }

  /** The Redactor is not installed yet when configuration fails: URL passwords are masked here, for stderr and the log alike. */
  private static List<String> masked(List<String> problems) {
    return problems.stream().map(Redactor::maskUrlCredentials).toList();
  }

  public ConfigException(String problem) {
    this(List.of(problem));
  }

  public List<String> problems() {
    return problems;
  }
}
