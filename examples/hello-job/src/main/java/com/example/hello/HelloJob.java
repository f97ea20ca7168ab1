package com.example.hello;

import java.time.Instant;
import java.util.List;
import pulse.api.Job;
import pulse.api.JobContext;
import pulse.api.Setting;

/**
 * The smallest useful Pulse plugin: greets once a minute. Listed in {@code
 * META-INF/services/pulse.api.Job}, so Pulse finds it in a jar in its plugins directory.
 */
public final class HelloJob implements Job {
  /** Read from the environment or Pulse's env file; Pulse accepts the key because it is declared. */
  public static final String GREETING = "HELLO_GREETING";

  public static final String DEFAULT_GREETING = "Hello from a Pulse plugin";

  @Override
  public String id() {
    return "hello";
  }

  @Override
  public String defaultSchedule() {
    return "every 1m"; // PULSE_JOB_HELLO_SCHEDULE overrides it
  }

  @Override
  public String description() {
    return "greets once a minute (example plugin)";
  }

  @Override
  public List<Setting> settings() {
    return List.of(Setting.string(GREETING, DEFAULT_GREETING, "what the hello job says"));
  }

  @Override
  public void run(JobContext ctx) {
    String greeting = ctx.settings().get(GREETING, DEFAULT_GREETING);
    Instant now = ctx.clock().instant(); // Pulse's clock, not Instant.now(): tests can set it
    ctx.log().info("{} ({} run, due {})", greeting, ctx.trigger().label(), ctx.scheduledTime());
    ctx.output(greeting + " at " + now);
    ctx.summary("greeting_chars", greeting.length());
    // Returning is success; throwing would fail this run, never the daemon.
  }
}
