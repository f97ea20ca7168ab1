package pulse.jobs.prompt;

import pulse.jobs.shared.CommandLineWords;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import pulse.api.Settings;

/**
 * How pulses are executed, read once at start from validated settings.
 *
 * @param command the argument vector before the prompt
 * @param workDir the command's working directory, or null for the daemon's
 */
public record ExecutorConfig(
    List<String> command,
    Path workDir,
    Duration timeout,
    int maxConcurrent,
    int maxAttempts,
    Duration retryBackoff,
    Duration lease,
    Duration pollInterval) {

  /** Backoffs double per attempt but never exceed this. */
  static final Duration MAX_BACKOFF = Duration.ofHours(6);

  public ExecutorConfig {
    command = List.copyOf(command);
    if (command.isEmpty()) {
      throw new IllegalArgumentException(PromptSettings.COMMAND + " is empty");
    }
    if (maxConcurrent < 1 || maxAttempts < 1) {
      throw new IllegalArgumentException("max concurrent and max attempts must be at least 1");
    }
  }

  public static ExecutorConfig from(Settings s) {
    return new ExecutorConfig(
        CommandLineWords.split(s.get(PromptSettings.COMMAND, PromptSettings.DEFAULT_COMMAND)),
        s.path(PromptSettings.WORKDIR).orElse(null),
        s.duration(PromptSettings.TIMEOUT).orElse(Duration.ofMinutes(30)),
        s.integer(PromptSettings.MAX_CONCURRENT).orElse(PromptSettings.DEFAULT_MAX_CONCURRENT),
        s.integer(PromptSettings.MAX_ATTEMPTS).orElse(PromptSettings.DEFAULT_MAX_ATTEMPTS),
        s.duration(PromptSettings.RETRY_BACKOFF).orElse(Duration.ofMinutes(1)),
        s.duration(PromptSettings.LEASE).orElse(Duration.ofMinutes(1)),
        s.duration(PromptSettings.POLL_INTERVAL).orElse(Duration.ofSeconds(1)));
  }

  /** Wait before the retry that follows attempt {@code attempt} (1-based): backoff, 2x, 4x, ... capped. */
  public Duration backoffAfter(int attempt) {
    int shift = Math.min(Math.max(attempt - 1, 0), 20);
    Duration d = retryBackoff.multipliedBy(1L << shift);
    return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
  }
}
