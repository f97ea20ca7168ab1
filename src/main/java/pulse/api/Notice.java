package pulse.api;

/**
 * A message for the operator, sent through {@link Notifications}.
 *
 * @param source what it is about, in the alert sources' form ({@code prompt:42}, {@code table:orders});
 *     the webhook body carries it
 * @param text the message as a person reads it (Telegram shows this)
 */
public record Notice(String source, String text) {
  public Notice {
    if (source == null || source.isBlank() || text == null || text.isBlank()) {
      throw new IllegalArgumentException("a notice needs a source and a text");
    }
  }
}
