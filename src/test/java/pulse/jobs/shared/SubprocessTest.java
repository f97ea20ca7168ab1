package pulse.jobs.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubprocessTest {
  @TempDir Path dir;

  @Test
  void capturesOutputExitCodeAndPassesArgumentsWithoutAShell() throws IOException {
    List<String> seen = new CopyOnWriteArrayList<>();
    Subprocess.Result r = Subprocess.of("sh", "-c", "echo \"$1\"; echo oops >&2; exit 3", "sh", "a b; rm -rf /")
        .onStdout(seen::add).run();
    assertThat(r.end()).isEqualTo(Subprocess.End.EXITED);
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.stdoutTail()).containsExactly("a b; rm -rf /");
    assertThat(seen).containsExactly("a b; rm -rf /");
    assertThat(r.stderrText()).isEqualTo("oops");
  }

  @Test
  void timeoutSendsSigintFirstSoTheCommandCanCleanUp() throws IOException {
    Path marker = dir.resolve("cleaned");
    Subprocess.Result r = Subprocess.of("sh", "-c", "trap 'touch " + marker + "; exit 130' INT; while true; do sleep 0.1; done")
        .timeout(Duration.ofMillis(300)).run();
    assertThat(r.end()).isEqualTo(Subprocess.End.TIMED_OUT);
    assertThat(r.exitCode()).isEqualTo(130);
    assertThat(Files.exists(marker)).isTrue();
  }

  @Test
  void aCommandThatIgnoresSigintIsKilledAfterTheGrace() throws IOException {
    Subprocess.Result r = Subprocess.of("sh", "-c", "trap '' INT; while true; do sleep 0.1; done")
        .timeout(Duration.ofMillis(200)).grace(Duration.ofMillis(300)).run();
    assertThat(r.end()).isEqualTo(Subprocess.End.TIMED_OUT);
    assertThat(r.exitCode()).isEqualTo(137);
    assertThat(r.took()).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void cancellationStopsTheCommand() throws IOException {
    AtomicBoolean cancel = new AtomicBoolean();
    new Thread(() -> {
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        return;
      }
      cancel.set(true);
    }).start();
    Subprocess.Result r = Subprocess.of("sleep", "30").cancelledWhen(cancel::get).run();
    assertThat(r.end()).isEqualTo(Subprocess.End.CANCELLED);
  }

  @Test
  void aMissingBinaryIsNamed() {
    assertThatThrownBy(() -> Subprocess.of("no-such-binary-xyz").run())
        .isInstanceOf(IOException.class).hasMessageContaining("cannot run no-such-binary-xyz").hasMessageContaining("PATH");
  }

  @Test
  void environmentAndStdinReachTheCommand() throws IOException {
    Subprocess.Result r = Subprocess.of("sh", "-c", "echo $GREETING; cat").env(Map.of("GREETING", "hi")).stdin("from stdin").run();
    assertThat(r.stdoutTail()).containsExactly("hi", "from stdin");
  }
}
