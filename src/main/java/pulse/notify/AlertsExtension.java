package pulse.notify;

import pulse.api.store.Store;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.LoggerFactory;
import pulse.api.CheckEvent;
import pulse.api.CommandContext;
import pulse.api.Extension;
import pulse.api.ExtensionContext;
import pulse.api.Route;
import pulse.api.RunEvent;
import pulse.api.Setting;
import pulse.api.Settings;
import pulse.api.StatusSection;

/**
 * Alerting: every job failure and check failure feeds one {@link AlertEngine}; notifications go
 * through a durable outbox to Telegram, a webhook, and per-job healthchecks.io-style pings.
 */
public final class AlertsExtension implements Extension {
  private static final int MAX_TRACKED_RUNS = 10_000;
  /** Trace ids of runs that published check results, until the run finishes. */
  private final java.util.Set<String> runsWithChecks = java.util.concurrent.ConcurrentHashMap.newKeySet();
  static final String NAME = "alerts";
  static final String INTERRUPTED = "interrupted";

  /** PULSE_JOB_<ID>_ALERT_FAILURES / _PING_URL keys seen at validation, to check their values. */
  private final Set<String> ownedKeys = ConcurrentHashMap.newKeySet();
  private volatile Running running;

  /** What exists between start and stop. */
  record Running(AlertConfig config, Store store, AlertEngine engine, OutboxSender sender, ExtensionContext context) {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Setting> settings() {
    return AlertSettings.ALL;
  }

  @Override
  public boolean ownsKey(String key) {
    if (AlertSettings.ownsKey(key)) {
      ownedKeys.add(key);
      return true;
    }
    return false;
  }

  @Override
  public List<String> validate(Settings settings) {
    return validate(settings, Set.of());
  }

  /** Also names per-job keys whose job does not exist (a typo would otherwise be silently ignored). */
  @Override
  public List<String> validate(Settings settings, Set<String> jobIds) {
    Set<String> keys = new TreeSet<>(ownedKeys);
    settings.keys().stream().filter(AlertSettings::ownsKey).forEach(keys::add);
    List<String> problems = new ArrayList<>(AlertSettings.problems(settings, keys));
    if (!jobIds.isEmpty()) {
      Set<String> prefixes = new HashSet<>();
      jobIds.forEach(id -> prefixes.add(AlertSettings.jobPrefix(id)));
      for (String key : keys) {
        if (prefixes.stream().noneMatch(key::startsWith)) {
          problems.add(key + " names no job; use PULSE_JOB_<ID>_" + key.replaceAll(".*_(ALERT_FAILURES|PING_URL)$", "$1")
              + " with the id of a job from 'pulse jobs' (upper case, - as _)");
        }
      }
    }
    return problems;
  }

  @Override
  public Optional<String> migrations() {
    return Optional.of("classpath:pulse/notify/migration");
  }

  @Override
  public void start(ExtensionContext context) {
    AlertConfig config = AlertConfig.from(context.settings());
    Store store = context.store();
    OutboxSender[] sender = new OutboxSender[1];
    AlertEngine engine = new AlertEngine(store, config, context.clock(), () -> sender[0].wake());
    sender[0] = new OutboxSender(store, Channels.from(config), context.clock(), engine::tick);
    running = new Running(config, store, engine, sender[0], context);
    sender[0].start();
    LoggerFactory.getLogger(AlertsExtension.class).info("Alerting: {}", describe(config));
  }

  private static String describe(AlertConfig c) {
    StringBuilder b = new StringBuilder("alerts open after ").append(c.failures()).append(" consecutive failure(s)");
    b.append(c.telegram().isPresent() ? ", Telegram" : "").append(c.webhook().isPresent() ? ", webhook" : "");
    if (!c.hasAlertChannel()) {
      b.append("; no channel configured (set TELEGRAM_BOT_TOKEN and TELEGRAM_CHAT_ID, or PULSE_ALERT_WEBHOOK_URL): alerts are logged and listed only");
    }
    return b.toString();
  }

  @Override
  public void stop() {
    Running r = running;
    running = null;
    if (r != null) {
      r.sender().close();
    }
  }

  /** The running state, for tests and the routes; null when stopped. */
  Running running() {
    return running;
  }

  @Override
  public void runStarted(RunEvent event) {
    Running r = running;
    if (r != null) {
      r.engine().ping(event.jobId(), "/start", "");
    }
  }

  @Override
  public void runFinished(RunEvent event) {
    Running r = running;
    if (r == null) {
      return;
    }
    // A run cut short by the daemon stopping says nothing about the job: it neither counts as a
    // failure nor resolves anything. Its ping still reports it as failed: it did not complete.
    // A run whose failure is already told by its checks' own alerts (the health job) would otherwise
    // alert a second time for the same problem: its checks carry the alerts, with their names.
    boolean toldByChecks = event.traceId() != null && runsWithChecks.remove(event.traceId()) && event.failure();
    if (!INTERRUPTED.equals(event.outcome()) && !toldByChecks) {
      String error = event.failure() ? errorOf(event) : null;
      r.engine().record(Sources.job(event.jobId()), !event.failure(), error, event.endedAt(), event.traceId());
    }
    String body = event.outputTail() != null && !event.outputTail().isBlank() ? event.outputTail()
        : event.failure() && event.errorMessage() != null ? event.errorMessage() : "";
    r.engine().ping(event.jobId(), event.failure() ? "/fail" : "", body);
  }

  private static String errorOf(RunEvent e) {
    String m = e.errorMessage() == null || e.errorMessage().isBlank() ? "no error message" : e.errorMessage();
    return "failed".equals(e.outcome()) ? m : e.outcome() + ": " + m;
  }

  @Override
  public void checkFinished(CheckEvent event) {
    Running r = running;
    if (r != null) {
      if (event.traceId() != null) {
        if (runsWithChecks.size() > MAX_TRACKED_RUNS) {
          runsWithChecks.clear(); // only for runs that never finished; losing them costs a duplicate alert at worst
        }
        runsWithChecks.add(event.traceId());
      }
      r.engine().record(event.source(), event.ok(), event.ok() ? null : event.error(), event.at(), event.traceId(),
          event.failuresToAlert());
    }
  }

  /** The outbox as every family's notification service: Telegram and the webhook, durable, in order. */
  @Override
  public Optional<pulse.api.Notifications> notifications() {
    return Optional.of(notice -> {
      Running r = running;
      return r != null && r.engine().notice(notice);
    });
  }

  @Override
  public List<Route> routes() {
    return new AlertRoutes(this::running).routes();
  }

  @Override
  public Optional<StatusSection> statusSection() {
    return Optional.of(new AlertsSection(this::running));
  }

  @Override
  public List<Object> commands(CommandContext context) {
    return List.of(new AlertsCommand(context), new SilenceCommand(context));
  }
}
