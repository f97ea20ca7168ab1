package pulse.notify;

/** Delivers one outbox payload to one external service. Called on the sender thread only. */
interface Channel {

  /**
   * Delivers or throws.
   *
   * @throws DeliveryException with a message free of secrets (tokens, signed URLs)
   */
  void deliver(String payload) throws DeliveryException;
}
