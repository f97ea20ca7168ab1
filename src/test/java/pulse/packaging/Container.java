package pulse.packaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A Debian bookworm booted with its own systemd in {@code systemd-nspawn}, for tests that need a
 * real service manager. The root file system is made once with debootstrap and cached; every boot
 * runs on a throw-away overlay ({@code --volatile=overlay}), so tests never change the cache.
 */
final class Container implements AutoCloseable {
  static final Path DEFAULT_ROOTFS = Path.of(System.getProperty("pulse.e2e.rootfs", "/var/tmp/pulse-e2e-rootfs"));

  private final Process nspawn;
  private final long leader;

  private Container(Process nspawn, long leader) {
    this.nspawn = nspawn;
    this.leader = leader;
  }

  /** Why this machine cannot boot a container, if it cannot. */
  static Optional<String> unavailable() throws IOException, InterruptedException {
    if (!"0".equals(Shell.run("id", "-u").output().trim())) {
      return Optional.of("needs root (systemd-nspawn, debootstrap)");
    }
    for (String tool : List.of("debootstrap", "systemd-nspawn", "nsenter")) {
      if (!Shell.onPath(tool)) {
        return Optional.of(tool + " not on PATH (apt-get install debootstrap systemd-container util-linux)");
      }
    }
    if (!Path.of("/usr/bin/java").toRealPath().startsWith("/usr/lib/jvm")) {
      return Optional.of("/usr/bin/java does not resolve into /usr/lib/jvm, which the container binds");
    }
    return Optional.empty();
  }

  /** The cached root file system, made with debootstrap on first use (~40 s, ~240 MB). */
  static Path rootfs() throws IOException, InterruptedException {
    Path root = DEFAULT_ROOTFS;
    if (!Files.isExecutable(root.resolve("usr/lib/systemd/systemd"))) {
      Path tmp = root.resolveSibling(root.getFileName() + ".tmp-" + ProcessHandle.current().pid());
      String mirror = DebianMirror.fromAptSources();
      System.out.println("SystemdE2EIT: debootstrap bookworm into " + root + " from " + mirror + " (first run only)");
      Shell r = Shell.run("debootstrap", "--variant=minbase", "--include=systemd,systemd-sysv,dbus", "bookworm",
          tmp.toString(), mirror);
      if (r.exitCode() != 0) {
        throw new IllegalStateException("debootstrap failed:\n" + r.output());
      }
      Shell.run("rm", "-rf", root.toString());
      Files.move(tmp, root);
    }
    // The unit runs /usr/bin/java: point it at the host's JDK, which the container binds read-only.
    Path java = root.resolve("usr/bin/java");
    Files.deleteIfExists(java);
    Files.createSymbolicLink(java, Path.of("/usr/bin/java").toRealPath());
    return root;
  }

  /** Boots the rootfs with {@code src} bound read-only at /mnt/pulse-src; returns once systemd is up. */
  static Container boot(Path rootfs, Path src, Path consoleLog) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(List.of("systemd-nspawn", "-D", rootfs.toString(), "--boot",
        "--register=no", "--keep-unit", "--private-network", "--volatile=overlay", "--console=read-only",
        "--bind-ro=/usr/lib/jvm", "--bind-ro=" + src + ":/mnt/pulse-src"));
    try (var etc = Files.list(Path.of("/etc"))) {
      // Debian's JDKs keep their conf (java.security, ...) in /etc/java-<N>-openjdk
      etc.filter(p -> p.getFileName().toString().startsWith("java-") && Files.isDirectory(p))
          .forEach(p -> argv.add("--bind-ro=" + p));
    }
    Process p = new ProcessBuilder(argv).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(consoleLog.toFile())).start();
    long leader = awaitLeader(p, consoleLog);
    Container c = new Container(p, leader);
    Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
    Shell up;
    do { // the bus socket appears a moment after systemd itself
      up = c.exec("systemctl", "is-system-running", "--wait");
      if (up.output().contains("running") || up.output().contains("degraded")) {
        return c;
      }
      Thread.sleep(200);
    } while (Instant.now().isBefore(deadline));
    c.close();
    throw new IllegalStateException("container systemd did not come up: " + up.output() + "\n" + Files.readString(consoleLog));
  }

  private static long awaitLeader(Process nspawn, Path consoleLog) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (Instant.now().isBefore(deadline)) {
      if (!nspawn.isAlive()) {
        throw new IllegalStateException("systemd-nspawn exited " + nspawn.exitValue() + ":\n" + Files.readString(consoleLog));
      }
      Optional<Long> pid = nspawn.descendants()
          .filter(h -> comm(h.pid()).equals("systemd"))
          .map(ProcessHandle::pid).findFirst();
      if (pid.isPresent()) {
        return pid.get();
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("no systemd inside the container after 60 s:\n" + Files.readString(consoleLog));
  }

  private static String comm(long pid) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(pid), "comm")).trim();
    } catch (IOException e) {
      return "";
    }
  }

  /** Runs a command inside the container (all its namespaces), as root. */
  Shell exec(String... argv) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("nsenter", "-t", Long.toString(leader), "-a"));
    cmd.addAll(List.of(argv));
    return Shell.run(cmd);
  }

  /** Runs {@code script} with sh -c inside the container. */
  Shell sh(String script) throws IOException, InterruptedException {
    return exec("sh", "-c", script);
  }

  @Override
  public void close() throws InterruptedException {
    if (nspawn.isAlive()) {
      nspawn.destroy(); // SIGTERM: nspawn asks the container's systemd to power off
      if (!nspawn.waitFor(30, TimeUnit.SECONDS)) {
        nspawn.destroyForcibly();
        nspawn.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}
