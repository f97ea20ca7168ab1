package pulse.jobs.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The runner's own timeout, for probes that ignore theirs and their interrupt. */
class CheckRunnerTest {

  private static CheckDefinition def(String name, String timeout) {
    return new CheckDefinition(name, "PULSE_CHECK_" + name.toUpperCase(java.util.Locale.ROOT), CheckKind.COMMAND,
        "cmd:test", Map.of(CheckOption.TIMEOUT, timeout));
  }

  /** Sleeps through interrupts, like a read on a dead NFS mount. */
  record Stubborn(CheckDefinition definition, long millis) implements Check {
    @Override
    public String probe() {
      long end = System.nanoTime() + millis * 1_000_000;
      while (System.nanoTime() < end) {
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          // ignored on purpose
        }
      }
      return "finally done";
    }
  }

  /** Sleeps, and fails if interrupted: a stale interrupt from the previous check would show here. */
  record Polite(CheckDefinition definition) implements Check {
    @Override
    public String probe() throws InterruptedException {
      Thread.sleep(300);
      return "slept";
    }
  }

  @Test
  void aProbeThatIgnoresItsTimeoutIsReportedOnTimeAndDoesNotDisturbTheNext() throws Exception {
    CheckRunner runner = new CheckRunner(OpenTelemetry.noop().getTracer("t"), null, Clock.systemUTC(), 1);
    long t0 = System.nanoTime();
    List<CheckResult> rs = runner.runAll(List.of(new Stubborn(def("stuck", "200ms"), 1_800), new Polite(def("next", "5s"))),
        Context.root());
    assertThat(rs.get(0).state()).isEqualTo("failed");
    assertThat(rs.get(0).message()).isEqualTo("timed out after 200ms");
    assertThat(rs.get(0).latency().toMillis()).isBetween(1_100L, 1_700L); // timeout + the runner's 1s slack
    assertThat(rs.get(1).state()).as(rs.get(1).message()).isEqualTo("ok");
    assertThat(rs.get(1).message()).isEqualTo("slept");
    assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(4_000);
  }

  @Test
  void aCheckThatCrashesFailsAloneWithItsError() throws Exception {
    Check crashing = new Check() {
      @Override
      public CheckDefinition definition() {
        return def("buggy", "1s");
      }

      @Override
      public String probe() {
        throw new IllegalStateException("boom");
      }
    };
    CheckRunner runner = new CheckRunner(OpenTelemetry.noop().getTracer("t"), null, Clock.systemUTC(), 2);
    List<CheckResult> rs = runner.runAll(List.of(crashing, new Polite(def("fine", "5s"))), Context.root());
    assertThat(rs).extracting(CheckResult::state).containsExactly("failed", "ok");
    assertThat(rs.get(0).message()).isEqualTo("the check itself failed: java.lang.IllegalStateException: boom");
  }
}
