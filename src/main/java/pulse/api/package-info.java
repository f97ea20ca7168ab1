/**
 * The job contract. A job, built in or from a plugin jar, imports only this package (plus SLF4J and the
 * OpenTelemetry API for its span). Implement {@link pulse.api.Job}, list the class in {@code
 * META-INF/services/pulse.api.Job}, and Pulse discovers, schedules, traces and records it. A job family
 * that needs more than runs (its own API routes, CLI commands, settings or status-page section)
 * implements {@link pulse.api.Extension} as well.
 */
package pulse.api;
