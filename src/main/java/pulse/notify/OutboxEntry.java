package pulse.notify;

import java.time.Instant;

/**
 * One queued notification.
 *
 * @param lane rows of one lane are delivered in id order (one channel; pings: one per job)
 * @param payload what the channel needs, as JSON
 */
record OutboxEntry(long id, String channel, String lane, String payload, Instant createdAt, int attempts,
    Instant nextAttemptAt, String lastError) {}
