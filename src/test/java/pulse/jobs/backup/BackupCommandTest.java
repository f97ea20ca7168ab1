package pulse.jobs.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import pulse.api.CommandContext;
import pulse.api.Settings;
import pulse.store.Outcome;

/** {@code pulse backup init} and {@code pulse backup snapshots} run restic from the CLI process. */
class BackupCommandTest {
  @TempDir Path dir;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  private int execute(Settings settings, String... args) {
    CommandContext ctx = new CommandContext() {
      @Override public Settings settings() { return settings; }
      @Override public Response get(String path) { throw new AssertionError("no API call expected"); }
      @Override public Response post(String path, String body) { throw new AssertionError("no API call expected"); }
      @Override public Response delete(String path) { throw new AssertionError("no API call expected"); }
    };
    CommandLine cl = new CommandLine(new BackupExtension().commands(ctx).get(0));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Test
  void initCreatesTheRepositoryAndSnapshotsListsWhatTheBackupMade() throws Exception {
    ResticFixture.assumeRestic();
    Path repo = dir.resolve("new-repo");
    Path src = Files.createDirectories(dir.resolve("src"));
    Files.writeString(src.resolve("f.txt"), "f");
    BackupHarness h = new BackupHarness(dir.resolve("state"), Map.of("RESTIC_REPOSITORY", repo.toString(),
        "RESTIC_PASSWORD", ResticFixture.PASSWORD, "PULSE_BACKUP_PATHS", src.toString(), "PULSE_BACKUP_HOST", "box"));

    assertThat(execute(h.config.settings(), "init")).as(err.toString()).isZero();
    assertThat(out.toString()).contains("initialised repository " + repo);
    assertThat(execute(h.config.settings(), "init")).isEqualTo(1);
    assertThat(err.toString()).contains("already initialised");

    assertThat(h.run("backup").outcome()).isEqualTo(Outcome.SUCCESS);
    out.getBuffer().setLength(0);
    assertThat(execute(h.config.settings(), "snapshots")).as(err.toString()).isZero();
    assertThat(out.toString()).contains("ID").contains("TIME").contains("box").contains("pulse").contains(src.toString())
        .contains("1 snapshot(s)");
  }

  @Test
  void withoutARepositoryTheCommandsSayWhatToSet() {
    BackupHarness h = new BackupHarness(dir.resolve("state"), Map.of());
    assertThat(execute(h.config.settings(), "snapshots")).isEqualTo(BackupCommand.CONFIG);
    assertThat(err.toString()).contains("backups are not configured: needs RESTIC_REPOSITORY or PULSE_BACKUP_REPOSITORY");
  }
}
