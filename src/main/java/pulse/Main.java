package pulse;

/** Entry point; replaced by the CLI in the next commit. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println("pulse");
  }
}
