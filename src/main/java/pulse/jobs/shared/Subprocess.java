package pulse.jobs.shared;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Runs an external command the way jobs need it: an argument vector (never a shell), extra
 * environment, a timeout, and a stop that sends SIGINT first — restic and many CLIs clean up on
 * SIGINT but not on SIGTERM — then SIGKILL after a grace period. Output lines are handed to a
 * consumer as they arrive and kept as a bounded tail.
 */
public final class Subprocess {
  public static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);
  public static final int DEFAULT_TAIL_LINES = 200;

  private final List<String> argv;
  private Path workDir;
  private Map<String, String> env = Map.of();
  private Duration timeout = Duration.ofHours(1);
  private Duration grace = DEFAULT_GRACE;
  private BooleanSupplier cancelled = () -> false;
  private Consumer<String> stdout = line -> {};
  private Consumer<String> stderr = line -> {};
  private int tailLines = DEFAULT_TAIL_LINES;
  private byte[] stdin;
  private Consumer<ProcessHandle> onStart = h -> {};

  /** How the command ended. */
  public enum End {
    EXITED,
    TIMED_OUT,
    CANCELLED
  }

  /**
   * The result.
   *
   * @param exitCode the exit code (128+signal when killed by a signal); -1 if it never started
   * @param stdoutTail the last lines of standard output
   * @param stderrTail the last lines of standard error
   */
  public record Result(End end, int exitCode, List<String> stdoutTail, List<String> stderrTail, Duration took) {
    public boolean ok() {
      return end == End.EXITED && exitCode == 0;
    }

    public String stderrText() {
      return String.join("\n", stderrTail);
    }

    public String stdoutText() {
      return String.join("\n", stdoutTail);
    }
  }

  private Subprocess(List<String> argv) {
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("empty command");
    }
    this.argv = List.copyOf(argv);
  }

  public static Subprocess of(List<String> argv) {
    return new Subprocess(argv);
  }

  public static Subprocess of(String... argv) {
    return new Subprocess(List.of(argv));
  }

  public Subprocess workDir(Path dir) {
    this.workDir = dir;
    return this;
  }

  /** Added to the inherited environment. */
  public Subprocess env(Map<String, String> extra) {
    this.env = Map.copyOf(extra);
    return this;
  }

  public Subprocess timeout(Duration d) {
    this.timeout = Objects.requireNonNull(d);
    return this;
  }

  /** Time between SIGINT and SIGKILL. */
  public Subprocess grace(Duration d) {
    this.grace = Objects.requireNonNull(d);
    return this;
  }

  /** Polled while the command runs, such as {@code ctx::isCancelled}. */
  public Subprocess cancelledWhen(BooleanSupplier s) {
    this.cancelled = Objects.requireNonNull(s);
    return this;
  }

  public Subprocess onStdout(Consumer<String> c) {
    this.stdout = Objects.requireNonNull(c);
    return this;
  }

  public Subprocess onStderr(Consumer<String> c) {
    this.stderr = Objects.requireNonNull(c);
    return this;
  }

  public Subprocess tailLines(int n) {
    this.tailLines = n;
    return this;
  }

  private static final Path RESET_SIGNALS = Path.of("/usr/bin/env");

  /** True if the command can be started as named: a path to an executable, or a name found on PATH. */
  private static boolean onPath(String command, String path, Path workDir) {
    if (command.contains("/")) {
      Path p = Path.of(command);
      return Files.isExecutable(workDir == null || p.isAbsolute() ? p : workDir.resolve(p));
    }
    for (String dir : (path == null ? "/usr/bin:/bin" : path).split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }

  /** Called with the started process (its pid), before the command's output is read. */
  public Subprocess onStart(Consumer<ProcessHandle> c) {
    this.onStart = Objects.requireNonNull(c);
    return this;
  }

  public Subprocess stdin(String text) {
    this.stdin = text.getBytes(StandardCharsets.UTF_8);
    return this;
  }

  /**
   * Runs the command to its end.
   *
   * @throws IOException if it cannot start (for example the binary is not on PATH); the message
   *     names the binary
   * @throws InterruptedIOException if this thread is interrupted; the command was stopped first
   */
  public Result run() throws IOException {
    ProcessBuilder pb = new ProcessBuilder(argv);
    if (workDir != null) {
      pb.directory(workDir.toFile());
    }
    pb.environment().putAll(env);
    if (Files.isExecutable(RESET_SIGNALS) && onPath(argv.get(0), pb.environment().get("PATH"), workDir)) {
      // A daemon started in the background by a non-interactive shell has SIGINT ignored, and a
      // child inherits that: SIGINT, the gentle stop (restic releases its lock on it), would do
      // nothing. env(1) resets INT and TERM to their defaults and execs the command in the same
      // process, so the pid observers see is the command's. A missing binary still fails here,
      // not as env's exit 127.
      List<String> wrapped = new ArrayList<>(List.of(RESET_SIGNALS.toString(), "--default-signal=INT,TERM", "--"));
      wrapped.addAll(argv);
      pb.command(wrapped);
    }
    long start = System.nanoTime();
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new IOException("cannot run " + argv.get(0) + ": " + e.getMessage()
          + " (is it installed and on PATH?)", e);
    }
    try {
      onStart.accept(p.toHandle());
    } catch (RuntimeException e) {
      // an observer's bug must not leave the process unattended
    }
    Tail out = new Tail(tailLines);
    Tail err = new Tail(tailLines);
    Thread t1 = pump(p.getInputStream(), out, stdout, "out");
    Thread t2 = pump(p.getErrorStream(), err, stderr, "err");
    try {
      if (stdin != null) {
        p.getOutputStream().write(stdin);
      }
      p.getOutputStream().close();
    } catch (IOException e) {
      // the command does not read its input: fine
    }
    End end = End.EXITED;
    long deadline = start + timeout.toNanos();
    try {
      while (!p.waitFor(50, TimeUnit.MILLISECONDS)) {
        if (cancelled.getAsBoolean()) {
          end = End.CANCELLED;
          stop(p);
          break;
        }
        if (System.nanoTime() > deadline) {
          end = End.TIMED_OUT;
          stop(p);
          break;
        }
      }
      p.waitFor();
      t1.join(2_000);
      t2.join(2_000);
    } catch (InterruptedException e) {
      stop(p);
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while " + argv.get(0) + " ran; it was stopped");
    }
    return new Result(end, p.exitValue(), out.lines(), err.lines(), Duration.ofNanos(System.nanoTime() - start));
  }

  /**
   * SIGINT, wait up to the grace, then SIGKILL the process and its children. A pending interrupt
   * (the runner cancels a run with a flag and an interrupt) must not cut the grace short: restic
   * killed right after SIGINT leaves its lock behind. The interrupt is restored afterwards.
   */
  private void stop(Process p) {
    boolean interrupted = Thread.interrupted();
    try {
      signal(p.pid(), "INT");
      if (waitUninterruptibly(p, grace)) {
        return;
      }
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      waitUninterruptibly(p, Duration.ofSeconds(5));
    } finally {
      if (interrupted || Thread.interrupted()) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Waits for the process to end; an interrupt meanwhile is remembered and restored, not obeyed. */
  private static boolean waitUninterruptibly(Process p, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    boolean interrupted = false;
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return !p.isAlive();
        }
        try {
          return p.waitFor(left, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Java can only send SIGTERM and SIGKILL itself; kill(1) sends the rest. */
  static void signal(long pid, String signal) {
    try {
      waitUninterruptibly(new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).start(), Duration.ofSeconds(5));
    } catch (IOException e) {
      // no kill(1): fall through to SIGKILL after the grace
    }
  }

  private static Thread pump(InputStream in, Tail tail, Consumer<String> consumer, String name) {
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          tail.add(line);
          try {
            consumer.accept(line);
          } catch (RuntimeException e) {
            // a consumer's bug must not stop the pump: the process would block on a full pipe
          }
        }
      } catch (IOException e) {
        // the process closed its end
      }
    }, "subprocess-" + name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** The last N lines. */
  private static final class Tail {
    private final int max;
    private final java.util.ArrayDeque<String> lines = new java.util.ArrayDeque<>();

    Tail(int max) {
      this.max = max;
    }

    synchronized void add(String line) {
      lines.addLast(line);
      if (lines.size() > max) {
        lines.removeFirst();
      }
    }

    synchronized List<String> lines() {
      return List.copyOf(new ArrayList<>(lines));
    }
  }
}
