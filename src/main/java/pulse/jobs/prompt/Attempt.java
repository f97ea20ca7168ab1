package pulse.jobs.prompt;

/**
 * How one run of the prompt command ended.
 *
 * @param ok exit code 0 within the timeout
 * @param exitCode the command's exit code, or null if it never started
 * @param error why it failed (null when ok); never contains the prompt's secrets, only the command's own words
 * @param outputTail the end of its output
 * @param traceId the trace id of the pulse's span
 */
public record Attempt(boolean ok, Integer exitCode, String error, String outputTail, String traceId, long runMillis) {}
