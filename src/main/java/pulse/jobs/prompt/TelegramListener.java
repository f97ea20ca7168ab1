package pulse.jobs.prompt;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Long-polls the Bot API for messages and turns each text from the allowed chat into a pulse
 * (source {@code telegram}). The update id is the pulse's dedupe key, so an update fetched again
 * after a crash — Telegram resends what was not confirmed with a higher offset — is stored once.
 * Messages from any other chat are ignored (and confirmed, so they are not fetched again).
 */
final class TelegramListener implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TelegramListener.class);
  static final int LONG_POLL_SECONDS = 25;
  static final long RETRY_MILLIS = 5_000;
  static final String SOURCE = "telegram";

  private final TelegramClient client;
  private final PromptQueue queue;
  private final Runnable wake;
  private final Clock clock;
  private final long allowedChat;
  private final Thread thread;
  private volatile boolean stopping;
  private long offset;

  TelegramListener(TelegramClient client, PromptQueue queue, Runnable wake, Clock clock, long allowedChat) {
    this.client = client;
    this.queue = queue;
    this.wake = wake;
    this.clock = clock;
    this.allowedChat = allowedChat;
    this.thread = new Thread(this::loop, "pulse-telegram-listener");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
    log.info("Telegram listener started: messages from chat {} become pulses", allowedChat);
  }

  private void loop() {
    while (!stopping) {
      try {
        pollOnce(LONG_POLL_SECONDS);
      } catch (InterruptedIOException e) {
        return;
      } catch (IOException | RuntimeException e) {
        if (stopping) {
          return;
        }
        log.warn("Telegram listener: {}. Will try again in {}s.", e.getMessage(), RETRY_MILLIS / 1000);
        try {
          Thread.sleep(RETRY_MILLIS);
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  /** One getUpdates round; returns how many pulses it scheduled. */
  int pollOnce(int timeoutSeconds) throws IOException {
    List<TelegramClient.Update> updates = client.getUpdates(offset, timeoutSeconds);
    int scheduled = 0;
    for (TelegramClient.Update u : updates) {
      offset = Math.max(offset, u.updateId() + 1);
      if (u.chatId() == null || u.chatId() != allowedChat) {
        log.info("Telegram listener ignored a message from chat {}: only chat {} may schedule pulses", u.chatId(), allowedChat);
        continue;
      }
      if (u.text() == null || u.text().isBlank()) {
        continue;
      }
      String prompt = u.text().length() > PulseRequest.MAX_PROMPT_CHARS ? u.text().substring(0, PulseRequest.MAX_PROMPT_CHARS) : u.text();
      Optional<PromptPulse> p = queue.insertIfNew(new NewPulse(prompt, clock.instant(), Priority.NORMAL, SOURCE, List.of(),
          u.from().isEmpty() ? null : "from " + u.from(), null, "telegram:" + u.updateId()), clock.instant());
      if (p.isPresent()) {
        scheduled++;
        wake.run();
        log.info("Telegram message {} scheduled as pulse {}", u.updateId(), p.get().id());
        try {
          client.sendMessage("⏱ scheduled as pulse " + p.get().id());
        } catch (IOException e) {
          log.warn("Could not confirm pulse {} on Telegram: {}", p.get().id(), e.getMessage());
        }
      }
    }
    return scheduled;
  }

  @Override
  public void close() {
    stopping = true;
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
