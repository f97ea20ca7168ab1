package pulse.jobs.prompt;

import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pulse.api.CommandContext;
import pulse.api.Extension;
import pulse.api.ExtensionContext;
import pulse.api.Job;
import pulse.api.JobFailedException;
import pulse.api.Route;
import pulse.api.Setting;
import pulse.api.Settings;
import pulse.api.StatusSection;

/**
 * Prompt pulses: a durable, prioritised queue of prompts (table {@code pulse_prompts}), its API and
 * CLI, the executor that runs due pulses, optional Telegram in and out, and the family's jobs:
 * {@code prompt-heartbeat}, {@code credential-keepalive} and {@code db-backup}.
 */
public final class PromptExtension implements Extension {
  private static final Logger log = LoggerFactory.getLogger(PromptExtension.class);

  /** Everything that exists only while the daemon runs. */
  private record Started(ExtensionContext ctx, PromptQueue queue, PromptExecutor executor, ZoneId zone,
      TelegramNotifier notifier, TelegramListener listener) {}

  private volatile Started started;

  @Override
  public String name() {
    return "prompt";
  }

  @Override
  public List<Setting> settings() {
    return PromptSettings.ALL;
  }

  @Override
  public List<String> validate(Settings settings) {
    return PromptSettings.validate(settings);
  }

  @Override
  public Optional<String> migrations() {
    return Optional.of("classpath:pulse/jobs/prompt/migration");
  }

  @Override
  public void start(ExtensionContext ctx) {
    Settings s = ctx.settings();
    ZoneId zone = zone(s);
    PromptQueue queue = new PromptQueue(ctx.store());
    ExecutorConfig config = ExecutorConfig.from(s);
    TelegramNotifier notifier = s.bool(PromptSettings.TELEGRAM_NOTIFY) ? new TelegramNotifier(ctx.notifications()) : null;
    PromptExecutor executor = new PromptExecutor(queue, config, new PromptRunner(config, ctx.openTelemetry()), ctx.clock(),
        notifier == null ? o -> {} : notifier::notify);
    TelegramListener listener = s.bool(PromptSettings.TELEGRAM_LISTEN)
        ? new TelegramListener(TelegramClient.from(s), queue, executor::wake, ctx.clock(), Long.parseLong(s.require(PromptSettings.TELEGRAM_CHAT).trim()))
        : null;
    started = new Started(ctx, queue, executor, zone, notifier, listener);
    executor.start();
    if (listener != null) {
      listener.start();
    }
  }

  @Override
  public void stop() {
    Started s = started;
    if (s == null) {
      return;
    }
    if (s.listener() != null) {
      s.listener().close();
    }
    s.executor().close();
    if (s.notifier() != null) {
      s.notifier().close();
    }
    started = null;
  }

  @Override
  public List<Route> routes() {
    return new PromptRoutes(() -> {
      Started s = started;
      return s == null ? null : new PromptRoutes.Live(s.queue(), s.executor()::wake, s.ctx().clock(), s.zone());
    }).routes();
  }

  @Override
  public List<Job> jobs() {
    return List.of(new HeartbeatJob(this), new CredentialKeepaliveJob(), new DbBackupJob(this));
  }

  @Override
  public List<Object> commands(CommandContext context) {
    return List.of(new PromptCommand(context));
  }

  @Override
  public Optional<StatusSection> statusSection() {
    return Optional.of(new StatusSection() {
      @Override
      public String title() {
        return "Prompt pulses";
      }

      @Override
      public String html() {
        Started s = started;
        if (s == null) {
          return "<p>not running</p>";
        }
        Map<String, Long> counts = s.queue().countByStatus();
        List<String> cells = new ArrayList<>();
        counts.forEach((k, v) -> cells.add("<td>" + k + "</td><td>" + v + "</td>"));
        return "<table><tr>" + String.join("</tr><tr>", cells) + "</tr></table>";
      }
    });
  }

  // --- for the family's jobs -----------------------------------------------------------------

  /** Stores a pulse and wakes the executor; fails the calling run if the daemon is not running. */
  PromptPulse schedule(NewPulse p) {
    Started s = running();
    PromptPulse stored = s.queue().insert(p, s.ctx().clock().instant());
    s.executor().wake();
    return stored;
  }

  boolean hasOpen(String source) {
    return running().queue().hasOpen(source);
  }

  DataSource dataSource() {
    return running().ctx().dataSource();
  }

  Path stateDir() {
    return running().ctx().stateDir();
  }

  Clock clock() {
    return running().ctx().clock();
  }

  private Started running() {
    Started s = started;
    if (s == null) {
      throw new JobFailedException("the prompt queue is not running (this job needs the daemon: pulse daemon)");
    }
    return s;
  }

  static ZoneId zone(Settings s) {
    try {
      return s.get("PULSE_TIMEZONE").map(z -> ZoneId.of(z.trim())).orElse(ZoneId.systemDefault());
    } catch (RuntimeException e) {
      log.warn("PULSE_TIMEZONE is not a time zone; using the system's");
      return ZoneId.systemDefault();
    }
  }
}
