package pulse.api;

/**
 * The operator's channels (Telegram, the webhook), as a durable queue every family may use: the
 * alert outbox. A notice is stored before {@link #send} returns and delivered at least once, in
 * order per channel, retried with backoff while a channel is down, across restarts. Families do not
 * keep clients of their own: one Telegram client, one retry policy, one place that counts failures.
 */
public interface Notifications {
  /** Nothing configured: every notice is dropped (and {@link #send} says so). */
  Notifications NONE = notice -> false;

  /**
   * Queues {@code notice} for every configured channel; false if no channel is configured (the
   * caller may say so once). Quick: one write in the daemon's group commit.
   */
  boolean send(Notice notice);
}
