package pulse.jobs.prompt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import pulse.api.JobContext;
import pulse.api.JobFailedException;
import pulse.api.Job;
import pulse.api.Setting;
import pulse.api.Settings;
import pulse.jobs.shared.Subprocess;

/**
 * {@code credential-keepalive}: every 4 hours runs each executable in PULSE_CREDENTIAL_PROVIDERS_DIR
 * (a script that refreshes one login: an OAuth token, a CLI session) and records each result. Any
 * failure fails the run, which is what alerting listens to; one broken provider never skips the rest.
 */
final class CredentialKeepaliveJob implements Job {
  static final String ID = "credential-keepalive";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String defaultSchedule() {
    return "every 4h";
  }

  @Override
  public String description() {
    return "runs each credential provider script so logins stay fresh";
  }

  @Override
  public Duration defaultTimeout() {
    return Duration.ofMinutes(30);
  }

  @Override
  public List<Setting> settings() {
    return PromptSettings.ALL.stream()
        .filter(s -> s.key().equals(PromptSettings.PROVIDERS_DIR) || s.key().equals(PromptSettings.PROVIDER_TIMEOUT))
        .map(s -> s.key().equals(PromptSettings.PROVIDERS_DIR) ? s.asRequired() : s)
        .toList();
  }

  @Override
  public Optional<String> unavailableReason(Settings settings) {
    Path dir = settings.path(PromptSettings.PROVIDERS_DIR).orElse(null);
    if (dir != null && !Files.isDirectory(dir)) {
      return Optional.of(PromptSettings.PROVIDERS_DIR + "=" + dir + " is not a directory");
    }
    return Optional.empty();
  }

  @Override
  public void run(JobContext ctx) throws IOException {
    Path dir = ctx.settings().path(PromptSettings.PROVIDERS_DIR).orElseThrow();
    Duration timeout = ctx.settings().duration(PromptSettings.PROVIDER_TIMEOUT).orElse(Duration.ofMinutes(2));
    List<Path> providers = providers(dir);
    ctx.summary("providers", providers.size());
    List<String> failed = new ArrayList<>();
    for (Path p : providers) {
      ctx.checkCancelled();
      String name = p.getFileName().toString();
      String result;
      try {
        // its output is not copied into the run: a provider may print the very token it renewed
        Subprocess.Result r = Subprocess.of(p.toString()).workDir(dir).timeout(timeout).cancelledWhen(ctx::isCancelled).run();
        result = r.ok() ? "ok" : switch (r.end()) {
          case TIMED_OUT -> "timed out after " + pulse.api.Durations.format(timeout);
          case CANCELLED -> "cancelled";
          case EXITED -> "exit " + r.exitCode() + last(r.stderrTail());
        };
      } catch (IOException e) {
        result = "could not start: " + e.getMessage();
      }
      ctx.summary("provider." + name, result);
      ctx.output(name + ": " + result);
      if (!result.equals("ok")) {
        failed.add(name + " (" + result + ")");
      }
    }
    ctx.summary("failed", failed.size());
    if (!failed.isEmpty()) {
      throw new JobFailedException(failed.size() + " of " + providers.size() + " credential provider(s) failed: "
          + String.join("; ", failed) + ". Run the script by hand to renew the login.");
    }
  }

  static List<Path> providers(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isRegularFile).filter(Files::isExecutable)
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .sorted().toList();
    }
  }

  private static String last(List<String> lines) {
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (!lines.get(i).isBlank()) {
        String l = lines.get(i).strip();
        return ": " + (l.length() > 200 ? l.substring(0, 200) + "…" : l);
      }
    }
    return "";
  }
}
