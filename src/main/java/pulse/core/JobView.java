package pulse.core;

import java.time.Instant;
import pulse.store.RunRecord;

/**
 * A job as {@code pulse jobs}, the API and the status page show it.
 *
 * @param schedule the effective schedule text (override or default)
 * @param disabledReason why it does not run (null when enabled)
 * @param nextFire null when disabled or not scheduled
 * @param lastRun the newest finished run, or null
 */
public record JobView(
    String id,
    String description,
    String schedule,
    String timeout,
    boolean enabled,
    String disabledReason,
    Instant nextFire,
    boolean running,
    RunRecord lastRun) {}
