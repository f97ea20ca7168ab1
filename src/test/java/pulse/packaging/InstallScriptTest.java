package pulse.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * install.sh and uninstall.sh with {@code --root DIR}: the files they lay down and remove, and that
 * a second install never touches the operator's env file. The real install (user, systemctl) runs
 * in {@code SystemdE2EIT}.
 */
class InstallScriptTest {
  @TempDir Path dir;

  private Shell install(Path root, Path jar) throws Exception {
    return Shell.run("bash", Shell.PACKAGING.resolve("install.sh").toString(), "--root", root.toString(),
        "--jar", jar.toString());
  }

  private Shell uninstall(Path root, String... more) throws Exception {
    var argv = new java.util.ArrayList<>(java.util.List.of(
        "bash", Shell.PACKAGING.resolve("uninstall.sh").toString(), "--root", root.toString()));
    argv.addAll(java.util.List.of(more));
    return Shell.run(argv);
  }

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void installTwiceKeepsTheEnvFileThenUninstallAndPurge() throws Exception {
    Path root = Files.createDirectories(dir.resolve("root"));
    Path jar = Files.writeString(dir.resolve("pulse.jar"), "jar v1");
    Shell first = install(root, jar);
    assertThat(first.exitCode()).as(first.output()).isZero();

    Path env = root.resolve("etc/pulse/pulse.env");
    assertThat(root.resolve("opt/pulse/pulse.jar")).hasContent("jar v1");
    assertThat(root.resolve("opt/pulse/README.md")).as("the unit's Documentation=").exists();
    assertThat(root.resolve("etc/systemd/system/pulse.service")).hasSameTextualContentAs(Shell.PACKAGING.resolve("pulse.service"));
    assertThat(mode(env)).isEqualTo("rw-------");
    assertThat(mode(root.resolve("etc/pulse"))).isEqualTo("rwxr-x---");
    assertThat(mode(root.resolve("var/lib/pulse"))).isEqualTo("rwx------");
    Path cli = root.resolve("usr/local/bin/pulse");
    assertThat(mode(cli)).isEqualTo("rwxr-xr-x");
    assertThat(cli).content().contains("exec java -jar /opt/pulse/pulse.jar \"$@\"").contains("/etc/pulse/pulse.env");

    Files.writeString(env, "PULSE_API_TOKEN=kept-by-the-operator\n");
    Files.writeString(jar, "jar v2");
    Shell second = install(root, jar);
    assertThat(second.exitCode()).as(second.output()).isZero();
    assertThat(second.output()).contains("keeping existing");
    assertThat(env).hasContent("PULSE_API_TOKEN=kept-by-the-operator");
    assertThat(root.resolve("opt/pulse/pulse.jar")).hasContent("jar v2");

    Shell removed = uninstall(root);
    assertThat(removed.exitCode()).as(removed.output()).isZero();
    assertThat(root.resolve("opt/pulse")).doesNotExist();
    assertThat(root.resolve("usr/local/bin/pulse")).doesNotExist();
    assertThat(root.resolve("etc/systemd/system/pulse.service")).doesNotExist();
    assertThat(env).as("settings survive a plain uninstall").exists();
    assertThat(root.resolve("var/lib/pulse")).exists();

    Shell purged = uninstall(root, "--purge");
    assertThat(purged.exitCode()).as(purged.output()).isZero();
    assertThat(root.resolve("etc/pulse")).doesNotExist();
    assertThat(root.resolve("var/lib/pulse")).doesNotExist();
  }

  @Test
  void helpAndBadOptions() throws Exception {
    for (String script : new String[] {"install.sh", "uninstall.sh"}) {
      Shell help = Shell.run("bash", Shell.PACKAGING.resolve(script).toString(), "--help");
      assertThat(help.exitCode()).isZero();
      assertThat(help.output()).startsWith("Usage: " + script);
      Shell bad = Shell.run("bash", Shell.PACKAGING.resolve(script).toString(), "--frobnicate");
      assertThat(bad.exitCode()).isEqualTo(2);
      assertThat(bad.output()).contains("unknown option --frobnicate");
    }
  }

  @Test
  void aMissingJarIsNamedWithTheFix() throws Exception {
    Shell r = install(dir.resolve("root"), dir.resolve("nope.jar"));
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.output()).contains("no jar found").contains("--jar PATH");
  }
}
