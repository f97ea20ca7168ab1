package pulse.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.testing.DaemonProcess;

/** An empty, corrupt or directory "jar" in the plugins directory is reported, never skipped silently. */
class BrokenPluginsIT {
  @TempDir Path dir;

  @Test
  void brokenJarsFailCheckAndAreLoggedAtErrorNamingTheFile() throws Exception {
    DaemonProcess d = new DaemonProcess(dir, Map.of());
    Files.write(d.pluginsDir().resolve("empty.jar"), new byte[0]);
    Files.writeString(d.pluginsDir().resolve("corrupt.jar"), "this is not a zip file");
    Files.createDirectories(d.pluginsDir().resolve("folder.jar"));

    DaemonProcess.Result check = d.cli("check");
    assertThat(check.exitCode()).isNotZero();
    assertThat(check.output()).contains("empty.jar is empty").contains("corrupt.jar is not a jar").contains("folder.jar is a directory");

    try (DaemonProcess running = d.start()) {
      assertThat(running.output()).contains("Plugin problem: plugin " + d.pluginsDir().resolve("corrupt.jar"))
          .contains("empty.jar is empty").contains("folder.jar is a directory");
    }
  }
}
