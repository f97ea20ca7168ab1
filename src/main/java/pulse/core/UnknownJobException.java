package pulse.core;

/** No job has the id asked for. */
public final class UnknownJobException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UnknownJobException(String id) {
    super("no job with id '" + id + "'; 'pulse jobs' lists them");
  }
}
