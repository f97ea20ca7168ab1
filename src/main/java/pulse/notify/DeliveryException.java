package pulse.notify;

import java.time.Duration;

/**
 * A failed delivery. {@code permanent} means retrying cannot help (the service refused the request
 * itself, e.g. a wrong chat id); {@code retryAfter} is the service's own wait, when it said one.
 */
final class DeliveryException extends Exception {
  private static final long serialVersionUID = 1L;
  final boolean permanent;
  final transient Duration retryAfter;

  DeliveryException(String message, boolean permanent, Duration retryAfter) {
    super(message, null, false, false); // no stack trace: the message says it all, and no cause may carry a secret
    this.permanent = permanent;
    this.retryAfter = retryAfter;
  }

  static DeliveryException retry(String message) {
    return new DeliveryException(message, false, null);
  }

  static DeliveryException permanent(String message) {
    return new DeliveryException(message, true, null);
  }
}
