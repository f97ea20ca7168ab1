package pulse.jobs.prompt;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import pulse.api.Job;
import pulse.api.JobContext;
import pulse.api.Setting;
import pulse.api.Settings;
import pulse.jobs.shared.CommandLineWords;
import pulse.jobs.shared.Executables;

/**
 * {@code prompt-heartbeat}: every hour, schedules a pulse whose prompt depends on the time of day,
 * so the assistant wakes up on its own. Skips while the previous heartbeat is still waiting or
 * running: a slow agent must not pile up a backlog of stale heartbeats.
 */
final class HeartbeatJob implements Job {
  static final String ID = "prompt-heartbeat";
  static final String SOURCE = "heartbeat";
  static final Priority PRIORITY = Priority.LOW; // anything a person asked for goes first
  private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

  private final PromptExtension extension;

  HeartbeatJob(PromptExtension extension) {
    this.extension = extension;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String defaultSchedule() {
    return "@hourly";
  }

  @Override
  public String description() {
    return "schedules an hourly prompt pulse chosen by time of day";
  }

  @Override
  public Duration defaultTimeout() {
    return Duration.ofMinutes(1);
  }

  @Override
  public List<Setting> settings() {
    return PromptSettings.ALL.stream().filter(s -> s.key().startsWith("PULSE_PROMPT_HEARTBEAT_")).toList();
  }

  /**
   * Off until the agent command exists: on a host that does not use prompt pulses, an hourly
   * pulse that can only fail would be noise in the journal and the alerts.
   */
  @Override
  public Optional<String> unavailableReason(Settings settings) {
    List<String> argv;
    try {
      argv = CommandLineWords.split(settings.get(PromptSettings.COMMAND, PromptSettings.DEFAULT_COMMAND));
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // the settings check reports it
    }
    if (argv.isEmpty() || Executables.find(argv.get(0)).isPresent()) {
      return Optional.empty();
    }
    return Optional.of("needs " + PromptSettings.COMMAND + ": '" + argv.get(0) + "' is not on PATH");
  }

  @Override
  public void run(JobContext ctx) {
    if (extension.hasOpen(SOURCE)) {
      ctx.summary("skipped", true);
      ctx.output("skipped: the previous heartbeat is still pending or running");
      return;
    }
    ZonedDateTime now = ctx.clock().instant().atZone(PromptExtension.zone(ctx.settings()));
    String part = partOfDay(now.getHour());
    String prompt = template(ctx.settings(), part).replace("{time}", now.format(HH_MM)).replace("{part}", part);
    PromptPulse p = extension.schedule(NewPulse.of(prompt, ctx.clock().instant(), PRIORITY, SOURCE));
    ctx.summary("pulse_id", p.id());
    ctx.summary("part_of_day", part);
    ctx.output("scheduled pulse " + p.id() + " (" + part + ")");
  }

  /** morning 6–12, afternoon 12–18, evening 18–22, night 22–6. */
  static String partOfDay(int hour) {
    if (hour >= 6 && hour < 12) {
      return "morning";
    }
    if (hour >= 12 && hour < 18) {
      return "afternoon";
    }
    if (hour >= 18 && hour < 22) {
      return "evening";
    }
    return "night";
  }

  static String template(Settings s, String part) {
    return switch (part) {
      case "morning" -> s.get(PromptSettings.HEARTBEAT_MORNING, PromptSettings.DEFAULT_MORNING);
      case "afternoon" -> s.get(PromptSettings.HEARTBEAT_AFTERNOON, PromptSettings.DEFAULT_AFTERNOON);
      case "evening" -> s.get(PromptSettings.HEARTBEAT_EVENING, PromptSettings.DEFAULT_EVENING);
      default -> s.get(PromptSettings.HEARTBEAT_NIGHT, PromptSettings.DEFAULT_NIGHT);
    };
  }
}
