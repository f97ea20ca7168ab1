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
    super(String.join("\n", problems));
    this.problems = List.copyOf(problems);
  }

  public ConfigException(String problem) {
    this(List.of(problem));
  }

  public List<String> problems() {
    return problems;
  }
}
