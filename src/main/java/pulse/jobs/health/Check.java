package pulse.jobs.health;

/**
 * One configured check, built once from its {@link CheckDefinition} and probed on every run. A
 * probe returns a short description of what it saw when healthy and throws {@link
 * CheckFailedException} (or any exception, described by {@link CheckRunner}) when not.
 */
interface Check {

  CheckDefinition definition();

  /**
   * Looks once. Must honour {@link CheckDefinition#timeout()} itself where it can (connect and read
   * timeouts); the runner stops waiting at the timeout either way and interrupts the thread.
   */
  String probe() throws Exception;

  default String name() {
    return definition().name();
  }
}
