package pulse.jobs.prompt;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each pulse's final outcome to the Telegram chat, on a thread of its own so a slow or
 * unreachable Telegram never delays the executor. A failed send is logged and dropped.
 */
final class TelegramNotifier implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TelegramNotifier.class);
  static final int TAIL_CHARS = 3000;
  private final TelegramClient client;
  private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "pulse-telegram-notify");
    t.setDaemon(true);
    return t;
  });

  TelegramNotifier(TelegramClient client) {
    this.client = client;
  }

  void notify(PromptExecutor.Outcome o) {
    if (o.status() != PulseStatus.COMPLETED && o.status() != PulseStatus.FAILED) {
      return; // a retry is not an outcome yet
    }
    String text = message(o);
    try {
      sender.execute(() -> {
        try {
          client.sendMessage(text);
        } catch (IOException e) {
          log.warn("Could not send pulse {}'s outcome to Telegram: {}. It is not retried.", o.pulse().id(), e.getMessage());
        }
      });
    } catch (RejectedExecutionException e) {
      // shutting down
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
    sender.shutdown();
    try {
      sender.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
