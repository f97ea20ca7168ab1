package pulse.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The built jar run as users run it: {@code java -jar target/pulse.jar daemon}, with its own state
 * directory, port and environment, its output captured to a file.
 */
public final class DaemonProcess implements AutoCloseable {
  private final Path workDir;
  private final Map<String, String> env;
  private final Path log;
  private final int port;
  private Process process;
  private final HttpClient http = HttpClient.newHttpClient();

  public DaemonProcess(Path workDir, Map<String, String> extraEnv) throws IOException {
    this.workDir = workDir;
    this.port = freePort();
    this.log = workDir.resolve("daemon.log");
    this.env = new HashMap<>();
    env.put("PULSE_STATE_DIR", workDir.resolve("state").toString());
    env.put("PULSE_PLUGINS_DIR", workDir.resolve("plugins").toString());
    env.put("PULSE_API_PORT", String.valueOf(port));
    env.putAll(extraEnv);
    Files.createDirectories(workDir.resolve("plugins"));
  }

  public static Path jar() {
    String p = System.getProperty("pulse.jar");
    Path jar = p != null ? Path.of(p) : Path.of("target", "pulse.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("no " + jar + ": run integration tests with ./mvnw verify");
    }
    return jar.toAbsolutePath();
  }

  public static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  public Path pluginsDir() {
    return workDir.resolve("plugins");
  }

  public Path stateDir() {
    return workDir.resolve("state");
  }

  public int port() {
    return port;
  }

  public Map<String, String> env() {
    return env;
  }

  /** Starts the daemon and waits until its API answers. */
  public DaemonProcess start() throws IOException {
    launch();
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
      if (!process.isAlive()) {
        throw new IllegalStateException("daemon exited with " + process.exitValue() + ":\n" + output());
      }
      return healthy();
    });
    return this;
  }

  /** Starts the daemon without waiting for anything: for tests that watch it start (sd_notify). */
  public DaemonProcess launch() throws IOException {
    process = command("daemon").redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    return this;
  }

  /**
   * Starts the daemon and waits for its "Scheduler running" log line only, for tests that do not
   * use the HTTP API.
   */
  public DaemonProcess startWithoutApi() throws IOException {
    process = command("daemon").redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
      if (!process.isAlive()) {
        throw new IllegalStateException("daemon exited with " + process.exitValue() + ":\n" + output());
      }
      return output().contains("Scheduler running");
    });
    return this;
  }

  /** A pulse command with this daemon's environment, as a user would type it. */
  public ProcessBuilder command(String... args) {
    List<String> cmd = new ArrayList<>(List.of(javaBin(), "-jar", jar().toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("PULSE_") || k.startsWith("OTEL_") || k.equals("NOTIFY_SOCKET")
        || k.equals("JOURNAL_STREAM") || k.equals("LOGFIRE_TOKEN"));
    pb.environment().putAll(env);
    return pb;
  }

  /** Runs a CLI command to completion; returns exit code and output. */
  public Result cli(String... args) throws IOException, InterruptedException {
    Process p = command(args).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("pulse " + String.join(" ", args) + " did not finish");
    }
    return new Result(p.exitValue(), out);
  }

  /** Exit code and combined output of a command. */
  public record Result(int exitCode, String output) {}

  public boolean healthy() {
    try {
      return get("/api/health").statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> post(String path, String token, String body) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  public long pid() {
    return process.pid();
  }

  public Process process() {
    return process;
  }

  /** Sends a signal by name (TERM, KILL, INT) and waits for the exit code. */
  public int signal(String name) throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).start().waitFor();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("daemon did not exit after SIG" + name + ":\n" + output());
    }
    return process.exitValue();
  }

  public String output() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
