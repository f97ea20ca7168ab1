/**
 * Health checks declared as settings ({@code PULSE_CHECK_<NAME>=<spec>}): HTTP(S), TCP, PostgreSQL,
 * disk space, commands, systemd units and job freshness, run by the {@code health} job and published
 * as {@link pulse.api.CheckEvent}s. Depends on {@code pulse.api} and {@code pulse.jobs.shared}.
 */
package pulse.jobs.health;
