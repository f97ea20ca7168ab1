package pulse.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.testing.DaemonProcess;

/**
 * A daemon started with SIGINT ignored (in the background by a non-interactive shell) must still
 * start children that SIGINT stops: restic keeps its lock otherwise.
 */
class ChildSignalsIT {
  private static final String TOKEN = "child-signals-it-token-0123456789";
  private static final long SIGINT_BIT = 1L << 1; // bit (signal - 1) of SigIgn

  @TempDir Path dir;

  private static long ignored(String status) {
    return status.lines().filter(l -> l.startsWith("SigIgn:")).map(l -> Long.parseLong(l.substring(7).trim(), 16))
        .findFirst().orElseThrow();
  }

  @Test
  void childrenOfADaemonThatIgnoresSigintDoNot() throws Exception {
    Path seen = dir.resolve("child-status.txt");
    Path command = dir.resolve("record-status.sh");
    Files.writeString(command, "#!/bin/sh\ncat /proc/self/status > " + seen + ".tmp && mv " + seen + ".tmp " + seen + "\n");
    Files.setPosixFilePermissions(command, PosixFilePermissions.fromString("rwx------"));
    DaemonProcess d = new DaemonProcess(dir, Map.of("PULSE_API_TOKEN", TOKEN, "PULSE_PROMPT_COMMAND", command.toString()));
    ProcessBuilder pb = d.command("daemon").redirectOutput(dir.resolve("daemon.log").toFile());
    pb.command().addAll(0, List.of("sh", "-c", "trap '' INT; exec \"$@\"", "sh"));
    Process daemon = pb.start();
    try {
      await().atMost(Duration.ofSeconds(30)).until(d::healthy);
      assertThat(ignored(Files.readString(Path.of("/proc", String.valueOf(daemon.pid()), "status")) ) & SIGINT_BIT)
          .as("the daemon itself ignores SIGINT, as under a non-interactive shell").isNotZero();
      assertThat(d.post("/api/pulse/schedule", TOKEN, "{\"prompt\":\"show your signals\"}").statusCode()).isEqualTo(201);
      await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(seen));
      assertThat(ignored(Files.readString(seen)) & SIGINT_BIT).as("the child's SigIgn has SIGINT clear").isZero();
    } finally {
      daemon.destroyForcibly();
      daemon.waitFor();
    }
  }
}
