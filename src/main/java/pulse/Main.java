package pulse;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import pulse.cli.PulseCommand;

/** Entry point: {@code java -jar pulse.jar <command>}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    int code = PulseCommand.execute(args, System.getenv(), out, err);
    out.flush();
    err.flush();
    System.exit(code);
  }
}
