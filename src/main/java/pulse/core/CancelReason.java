package pulse.core;

import pulse.store.Outcome;

/** Why Pulse asked a run to stop, and the outcome that records it. */
enum CancelReason {
  TIMEOUT(Outcome.TIMEOUT),
  SHUTDOWN(Outcome.INTERRUPTED);

  final Outcome outcome;

  CancelReason(Outcome outcome) {
    this.outcome = outcome;
  }
}
