package pulse.jobs.prompt;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pulse.api.Notice;
import pulse.api.Notifications;

/**
 * Tells the operator each pulse's final outcome through the daemon's notification service (the
 * alert outbox): stored with the outcome's moment, delivered to Telegram (and the webhook) at least
 * once, in order, retried while Telegram is down, by the one Telegram client Pulse has.
 */
final class TelegramNotifier implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TelegramNotifier.class);
  static final int TAIL_CHARS = 3000;
  private final Notifications notifications;
  private final AtomicBoolean warned = new AtomicBoolean();

  TelegramNotifier(Notifications notifications) {
    this.notifications = notifications;
  }

  void notify(PromptExecutor.Outcome o) {
    if (o.status() != PulseStatus.COMPLETED && o.status() != PulseStatus.FAILED) {
      return; // a retry is not an outcome yet
    }
    try {
      if (!notifications.send(new Notice("prompt:" + o.pulse().id(), message(o))) && warned.compareAndSet(false, true)) {
        log.warn("PULSE_PROMPT_TELEGRAM_NOTIFY is on but no channel takes notices (the alerting family is off, or"
            + " TELEGRAM_BOT_TOKEN and TELEGRAM_CHAT_ID are unset): pulse outcomes are not sent");
      }
    } catch (RuntimeException e) {
      // the outcome itself is stored; only its notice is lost, and the store said why
      log.warn("Could not queue pulse {}'s outcome for Telegram: {}", o.pulse().id(), e.getMessage());
    }
  }

  static String message(PromptExecutor.Outcome o) {
    PromptPulse p = o.pulse();
    StringBuilder b = new StringBuilder();
    b.append(o.status() == PulseStatus.COMPLETED ? "✅ pulse " : "❌ pulse ").append(p.id()).append(' ')
        .append(o.status().label());
    b.append(" (").append(p.priority().label()).append(", ").append(p.source()).append(", attempt ").append(p.attempts())
        .append(", ").append(o.attempt().runMillis() / 1000).append("s)\n");
    String prompt = p.prompt().strip();
    b.append("» ").append(prompt.length() > 200 ? prompt.substring(0, 200) + "…" : prompt).append('\n');
    if (o.attempt().error() != null) {
      b.append("error: ").append(o.attempt().error()).append('\n');
    }
    String tail = o.attempt().outputTail();
    if (tail != null && !tail.isBlank()) {
      b.append('\n').append(tail.length() > TAIL_CHARS ? "…" + tail.substring(tail.length() - TAIL_CHARS) : tail);
    }
    return b.toString();
  }

  @Override
  public void close() {
    // nothing of its own to stop: the outbox delivers what was queued, also after a restart
  }
}
