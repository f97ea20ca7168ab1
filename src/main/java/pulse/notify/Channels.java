package pulse.notify;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The channels configured now, by the name stored in each outbox row. */
final class Channels {
  static final String TELEGRAM = "telegram";
  static final String WEBHOOK = "webhook";
  static final String PING = "ping";

  private final Map<String, Channel> byName;

  Channels(Map<String, Channel> byName) {
    this.byName = Map.copyOf(byName);
  }

  static Channels from(AlertConfig config) {
    Map<String, Channel> m = new HashMap<>();
    config.telegram().ifPresent(t -> m.put(TELEGRAM, new TelegramChannel(t)));
    config.webhook().ifPresent(w -> m.put(WEBHOOK, new WebhookChannel(w)));
    m.put(PING, new PingChannel());
    return new Channels(m);
  }

  /** Empty when the row's channel is no longer configured (removed since it was queued). */
  Optional<Channel> get(String name) {
    return Optional.ofNullable(byName.get(name));
  }
}
