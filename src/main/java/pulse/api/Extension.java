package pulse.api;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A job family's hooks into the daemon beyond runs, discovered with {@link java.util.ServiceLoader}
 * from {@code META-INF/services/pulse.api.Extension}: settings it owns, HTTP routes, CLI subcommands,
 * database migrations and a section of the status page. Nothing in the core names an extension.
 *
 * <p>Lifecycle: {@link #start} after the store is migrated and before the scheduler starts; {@link
 * #stop} after the scheduler stopped. Commands run in the CLI process, without {@link #start}.
 */
public interface Extension {

  /** Short kebab-case name, used in logs and the migration history table. */
  String name();

  /** Settings this extension owns; validated at startup like a job's. */
  default List<Setting> settings() {
    return List.of();
  }

  /**
   * True for a key this extension reads although it cannot declare it up front, such as {@code
   * PULSE_CHECK_<NAME>} where the user picks the name. Such keys are not reported as unknown.
   */
  default boolean ownsKey(String key) {
    return false;
  }

  /**
   * Problems with this extension's settings as a whole, checked at startup with the rest of the
   * configuration: one line each, naming the key, the value and the fix. Never include a secret's
   * value. Any problem stops startup with exit code 78.
   */
  default List<String> validate(Settings settings) {
    return List.of();
  }

  /**
   * Like {@link #validate(Settings)}, knowing the ids of every discovered job, for settings that
   * name a job (such as a check that a job succeeded recently). The core calls this one.
   */
  default List<String> validate(Settings settings, Set<String> jobIds) {
    return validate(settings);
  }

  /**
   * A Flyway location with this extension's versioned migrations, such as {@code
   * classpath:pulse/jobs/prompt/migration}. They run against Pulse's database with their own history
   * table, before {@link #start}.
   */
  default Optional<String> migrations() {
    return Optional.empty();
  }

  default void start(ExtensionContext context) throws Exception {}

  default void stop() {}

  /** Routes served by the daemon's HTTP API. Write routes need the bearer token. */
  default List<Route> routes() {
    return List.of();
  }

  /**
   * Jobs this family contributes, beside those listed in {@code META-INF/services/pulse.api.Job}.
   * Called once at discovery, before {@link #start}: the jobs may keep a reference to this extension
   * and reach its state (a store, a client) inside {@code run()}.
   */
  default List<Job> jobs() {
    return List.of();
  }

  /**
   * picocli {@code @Command} objects added as subcommands of {@code pulse}. The context loads the
   * configuration lazily, on first use, so {@code pulse --help} works with a broken config.
   */
  default List<Object> commands(CommandContext context) {
    return List.of();
  }

  /**
   * The notification service this extension provides to every other, once started (the alerting
   * family's outbox); empty for all others. Reached through {@link ExtensionContext#notifications()}.
   */
  default Optional<Notifications> notifications() {
    return Optional.empty();
  }

  /**
   * Kinds of alert source this extension publishes {@link CheckEvent}s for, beside the core's
   * {@code job} and {@code check}: {@code table} for {@code table:orders}, {@code node}, {@code
   * rollout}. Silences accept sources of these kinds.
   */
  default List<String> alertSourceKinds() {
    return List.of();
  }

  /** A section of the status page at {@code /}, rendered after the core's sections. */
  default Optional<StatusSection> statusSection() {
    return Optional.empty();
  }

  /**
   * Called once per run when it starts, on the run's own thread before the job's code. Keep it
   * quick; an exception is logged and ignored.
   */
  default void runStarted(RunEvent event) {}

  /**
   * Called once per run after its outcome is stored, on the run's thread. Keep it quick (queue
   * slow work); an exception is logged and ignored, never failing the run.
   */
  default void runFinished(RunEvent event) {}

  /**
   * Called for every {@link CheckEvent} any extension publishes, on the publisher's thread. Keep it
   * quick; an exception is logged and ignored.
   */
  default void checkFinished(CheckEvent event) {}
}
