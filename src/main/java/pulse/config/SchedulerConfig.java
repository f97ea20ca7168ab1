package pulse.config;

import java.time.Duration;
import java.time.ZoneId;

/** How Quartz and the job runner behave. */
public record SchedulerConfig(ZoneId timezone, Duration misfireGrace, Duration shutdownGrace, int threads) {}
