package pulse.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.testing.DaemonProcess;

/** The env file's duplicate keys and size bound, through the jar as users run it. */
class EnvFileIT {
  @TempDir Path dir;

  private Path envFile(String text) throws Exception {
    Path f = dir.resolve("pulse.env");
    Files.writeString(f, text);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    return f;
  }

  @Test
  void aDuplicateKeyIsWarnedOfNamingBothLinesAndNeitherValue() throws Exception {
    Path f = envFile("PULSE_LOG_LEVEL=info\n# a comment\nPULSE_API_TOKEN=first-token-0123456789abc\nPULSE_API_TOKEN=second-token-0123456789abc\n");
    DaemonProcess.Result r = new DaemonProcess(dir, Map.of("PULSE_ENV_FILE", f.toString())).cli("check");
    assertThat(r.output()).contains("PULSE_API_TOKEN is set on line 3 and again on line 4; the later line wins");
    assertThat(r.output()).doesNotContain("first-token").doesNotContain("second-token");
  }

  @Test
  void anEnvFileOverOneMegabyteStopsStartupWithExit78() throws Exception {
    StringBuilder b = new StringBuilder();
    for (int i = 0; b.length() <= 1024 * 1024; i++) {
      b.append("X_KEY_").append(i).append("=value-").append(i).append('\n');
    }
    Path f = envFile(b.toString());
    DaemonProcess.Result r = new DaemonProcess(dir, Map.of("PULSE_ENV_FILE", f.toString())).cli("daemon");
    assertThat(r.exitCode()).isEqualTo(78);
    assertThat(r.output()).contains("at most 1048576 are read");
  }
}
