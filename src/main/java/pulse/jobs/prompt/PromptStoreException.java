package pulse.jobs.prompt;

/** The queue's database refused a read or write. */
public final class PromptStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PromptStoreException(String message) {
    super(message);
  }

  public PromptStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
