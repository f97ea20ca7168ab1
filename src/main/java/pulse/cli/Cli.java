package pulse.cli;

/** Small helpers the commands share. */
final class Cli {
  private Cli() {}

  static DaemonClient client(Bootstrap b) {
    return new DaemonClient(b.config().api().url(), b.config().api().token());
  }
}
