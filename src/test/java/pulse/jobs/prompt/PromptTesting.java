package pulse.jobs.prompt;

import io.opentelemetry.api.trace.Span;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pulse.api.JobContext;
import pulse.api.Settings;
import pulse.api.Trigger;
import pulse.config.MapSettings;
import pulse.store.Database;
import pulse.testing.StoreBackend;

/** Real parts for the prompt tests: an H2 file database, settings with defaults, executor scripts. */
final class PromptTesting {
  private PromptTesting() {}

  /** Pulse's embedded database in {@code dir}, with the core's and the prompt family's migrations. */
  static Database database(Path dir) {
    return database(StoreBackend.H2, dir);
  }

  /** The same on {@code backend}: the store tests run on both databases. */
  static Database database(StoreBackend backend, Path dir) {
    Database db = backend.open(dir);
    db.migrate();
    db.migrate("classpath:pulse/jobs/prompt/migration", "pulse_schema_history_prompt");
    return db;
  }

  static Settings settings(Map<String, String> values) {
    Map<String, String> defaults = new HashMap<>();
    PromptSettings.ALL.stream().filter(s -> s.defaultValue() != null).forEach(s -> defaults.put(s.key(), s.defaultValue()));
    return new MapSettings(values, defaults);
  }

  static Path script(Path dir, String name, String body) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
    return p;
  }

  /** A command that appends "<number of arguments>|<first argument>" as one line to {@code log}. */
  static Path recorder(Path dir, Path log) throws IOException {
    return script(dir, "recorder.sh", "printf '%s|%s\\n' \"$#\" \"$1\" >> '" + log + "'\necho \"ran $1\"");
  }

  /** The prompts the recorder saw, in order. */
  static List<String> recorded(Path log) throws IOException {
    if (!Files.exists(log)) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(log)) {
      int bar = line.indexOf('|');
      out.add(line.substring(bar + 1));
    }
    return out;
  }

  static ExecutorConfig config(List<String> command, int maxConcurrent, int maxAttempts, Duration backoff, Duration lease) {
    return new ExecutorConfig(command, null, Duration.ofSeconds(30), maxConcurrent, maxAttempts, backoff, lease,
        Duration.ofMillis(200));
  }

  /** A JobContext for running a job's code directly. */
  static final class Ctx implements JobContext {
    final Settings settings;
    final Clock clock;
    final Map<String, Object> summary = new LinkedHashMap<>();
    final List<String> output = new ArrayList<>();

    Ctx(Settings settings, Clock clock) {
      this.settings = settings;
      this.clock = clock;
    }

    @Override public String jobId() { return "test"; }
    @Override public long runId() { return 1; }
    @Override public Settings settings() { return settings; }
    @Override public Clock clock() { return clock; }
    @Override public Span span() { return Span.getInvalid(); }
    @Override public Logger log() { return LoggerFactory.getLogger("test"); }
    @Override public Trigger trigger() { return Trigger.MANUAL; }
    @Override public Instant scheduledTime() { return clock.instant(); }
    @Override public Duration timeout() { return Duration.ofMinutes(1); }
    @Override public boolean isCancelled() { return false; }
    @Override public void output(String line) { output.add(line); }
    @Override public void summary(String key, Object value) { summary.put(key, value); }
    @Override public void partial(String warning) { output.add("partial: " + warning); }
  }
}
