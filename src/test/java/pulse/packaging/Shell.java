package pulse.packaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a tool to completion and keeps its exit code and combined output. */
record Shell(int exitCode, String output) {
  static final Path PACKAGING = Path.of(System.getProperty("pulse.basedir", "."), "packaging").toAbsolutePath();

  static Shell run(String... argv) throws IOException, InterruptedException {
    return run(List.of(argv));
  }

  static Shell run(List<String> argv) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(String.join(" ", argv) + " did not finish in 120 s");
    }
    return new Shell(p.exitValue(), out);
  }

  /** True when {@code name} is an executable on PATH. */
  static boolean onPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
        return true;
      }
    }
    return false;
  }
}
