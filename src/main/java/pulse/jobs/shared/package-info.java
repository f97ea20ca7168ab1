/** Helpers the built-in job families share. Depends on {@code pulse.api} only. */
package pulse.jobs.shared;
