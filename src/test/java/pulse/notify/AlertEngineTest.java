package pulse.notify;

import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import pulse.testing.StoreBackend;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The alert rules, end to end: events in, Telegram messages out through a real fake Bot API. */
@ParameterizedClass
@EnumSource(StoreBackend.class)
class AlertEngineTest {
  @Parameter StoreBackend backend;
  @TempDir Path dir;
  FakeTelegram telegram;
  AlertsHarness h;

  @BeforeEach
  void setUp() throws Exception {
    telegram = new FakeTelegram();
    h = new AlertsHarness(backend, dir);
    h.env.putAll(telegram.settings());
    h.env.put("PULSE_TRACE_URL", "https://traces.example/trace/{trace_id}");
  }

  @AfterEach
  void tearDown() {
    h.close();
    telegram.close();
  }

  /** Waits until the outbox is empty, then checks that nothing more goes out. */
  private List<String> sent(int expected) {
    await().atMost(Duration.ofSeconds(10)).until(() -> telegram.texts().size() >= expected && h.waiting() == 0);
    assertThat(h.deliver()).isZero();
    return telegram.texts();
  }

  @Test
  void alertOpensAfterExactlyNFailuresAndSendsOneNotification() {
    h.start();
    h.fail("backup-db", "restic: repository is already locked");
    assertThat(h.openAlerts()).isEmpty();
    assertThat(h.waiting()).isZero();

    h.clock.advance(Duration.ofMinutes(5));
    h.fail("backup-db", "restic: wrong password or no key found");
    assertThat(h.openAlerts()).singleElement().satisfies(a -> {
      assertThat(a.source()).isEqualTo("job:backup-db");
      assertThat(a.failureCount()).isEqualTo(2);
      assertThat(a.failingSince()).isEqualTo(AlertsHarness.T0);
    });
    List<String> texts = sent(1);
    assertThat(texts).singleElement().satisfies(t -> assertThat(t)
        .contains("ALERT: job backup-db is failing")
        .contains("2 failures in a row since 2026-03-01 10:00:00 UTC")
        .contains("Last error: restic: wrong password or no key found")
        .contains("Status: http://pulse.example:8765/")
        .contains("Trace: https://traces.example/trace/" + AlertsHarness.TRACE));

    for (int i = 0; i < 5; i++) {
      h.clock.advance(Duration.ofMinutes(5));
      h.fail("backup-db", "restic: still locked");
    }
    assertThat(sent(1)).hasSize(1);
    assertThat(h.openAlerts()).singleElement().satisfies(a -> {
      assertThat(a.failureCount()).isEqualTo(7);
      assertThat(a.lastError()).isEqualTo("restic: still locked");
    });
  }

  @Test
  void alertResolvesOnceOnFirstSuccess() {
    h.start();
    h.fail("sync", "exit 1");
    h.fail("sync", "exit 1");
    sent(1);
    h.clock.advance(Duration.ofMinutes(30));
    h.ok("sync");
    h.ok("sync");
    h.ok("sync");
    List<String> texts = sent(2);
    assertThat(texts).hasSize(2);
    assertThat(texts.get(1)).contains("RESOLVED: job sync is healthy again").contains("down for 30m");
    assertThat(h.openAlerts()).isEmpty();
    assertThat(h.resolvedAlerts()).singleElement().satisfies(a -> assertThat(a.resolvedAt()).isEqualTo(h.clock.instant()));
  }

  @Test
  void aSuccessBetweenFailuresRestartsTheCount() {
    h.start();
    h.fail("sync", "exit 1");
    h.ok("sync");
    h.fail("sync", "exit 1");
    assertThat(h.openAlerts()).isEmpty();
    h.fail("sync", "exit 1");
    assertThat(h.openAlerts()).hasSize(1);
  }

  @Test
  void aHealthRunFailingBecauseOfItsChecksAlertsOnlyForTheChecks() {
    h.start();
    for (int i = 0; i < 3; i++) {
      String trace = "%032x".formatted(1000 + i);
      h.check("web", false, "HTTP 503", trace);
      h.check("db", true, null, trace);
      h.run("health", true, "1 of 2 check(s) failed: web", "web FAIL", trace);
      h.clock.advance(Duration.ofMinutes(5));
    }
    assertThat(h.openAlerts()).extracting(Alert::source).containsExactly("check:web");
    assertThat(sent(1)).singleElement().satisfies(t -> assertThat(t).contains("check web is failing").doesNotContain("job health"));

    h.fail("health", "the health job crashed before checking anything");
    h.fail("health", "the health job crashed before checking anything");
    assertThat(h.openAlerts()).extracting(Alert::source).containsExactlyInAnyOrder("check:web", "job:health");
  }

  @Test
  void aRunInterruptedByShutdownCountsAsNeither() {
    h.start();
    h.fail("sync", "exit 1");
    h.ext.runFinished(new pulse.api.RunEvent("sync", 99, pulse.api.Trigger.SCHEDULE, h.clock.instant(), h.clock.instant(),
        h.clock.instant(), "interrupted", true, "the daemon stopped", null, AlertsHarness.TRACE));
    assertThat(h.openAlerts()).isEmpty();
    h.fail("sync", "exit 1");
    assertThat(h.openAlerts()).hasSize(1);
  }

  @Test
  void thresholdsPerJobAndPerCheck() {
    h.env.put("PULSE_JOB_BACKUP_DB_ALERT_FAILURES", "3");
    h.env.put("PULSE_CHECK_WEB_FAILURES", "1");
    h.start();
    h.fail("backup-db", "e");
    h.fail("backup-db", "e");
    assertThat(h.openAlerts()).isEmpty();
    h.fail("backup-db", "e");
    assertThat(h.openAlerts()).extracting(Alert::source).containsExactly("job:backup-db");

    h.check("web", false, "GET https://example.org/ answered 503");
    assertThat(h.openAlerts()).extracting(Alert::source).containsExactly("job:backup-db", "check:web");
    assertThat(sent(2).get(1)).contains("ALERT: check web is failing").contains("answered 503");
    h.check("web", true, null);
    assertThat(sent(3).get(2)).contains("RESOLVED: check web");
  }

  @Test
  void theStreakSurvivesARestart() {
    h.start();
    h.fail("sync", "exit 1");
    h.restart();
    h.fail("sync", "exit 1");
    assertThat(h.openAlerts()).hasSize(1);
    h.restart();
    h.ok("sync");
    assertThat(sent(2)).hasSize(2);
  }

  @Test
  void flappingIsDamped() {
    h.start();
    // Two full cycles inside the hour: each opens and resolves normally.
    for (int i = 0; i < 2; i++) {
      h.fail("sync", "flaky");
      h.fail("sync", "flaky");
      h.clock.advance(Duration.ofMinutes(5));
      h.ok("sync");
      h.clock.advance(Duration.ofMinutes(5));
    }
    assertThat(sent(4)).hasSize(4);
    // The third alert in the hour is flapping: a success no longer resolves it.
    h.fail("sync", "flaky");
    h.fail("sync", "flaky");
    assertThat(h.openAlerts()).singleElement().satisfies(a -> assertThat(a.flapping()).isTrue());
    assertThat(sent(5).get(4)).contains("Flapping: it resolves only after 1h without failures");
    for (int i = 0; i < 4; i++) {
      h.clock.advance(Duration.ofMinutes(5));
      h.ok("sync");
      h.clock.advance(Duration.ofMinutes(5));
      h.fail("sync", "flaky");
      h.fail("sync", "flaky");
    }
    assertThat(h.openAlerts()).hasSize(1);
    assertThat(sent(5)).hasSize(5);
    // Quiet: successes for less than an hour keep it open; an hour without failure resolves it.
    h.clock.advance(Duration.ofMinutes(30));
    h.ok("sync");
    h.running().engine().tick();
    assertThat(h.openAlerts()).hasSize(1);
    h.clock.advance(Duration.ofMinutes(31));
    h.running().engine().tick();
    assertThat(h.openAlerts()).isEmpty();
    List<String> texts = sent(6);
    assertThat(texts).hasSize(6);
    assertThat(texts.get(5)).contains("RESOLVED: job sync");
  }

  @Test
  void flappingDampingCanBeTurnedOff() {
    h.env.put("PULSE_ALERT_FLAP_COUNT", "0");
    h.start();
    for (int i = 0; i < 4; i++) {
      h.fail("sync", "flaky");
      h.fail("sync", "flaky");
      h.ok("sync");
    }
    assertThat(h.openAlerts()).isEmpty();
    assertThat(sent(8)).hasSize(8);
  }

  @Test
  void reminderWhileOpenOnlyWhenConfigured() {
    h.env.put("PULSE_ALERT_REMIND", "1h");
    h.start();
    h.fail("sync", "exit 2");
    h.fail("sync", "exit 2");
    sent(1);
    h.clock.advance(Duration.ofMinutes(59));
    h.running().engine().tick();
    assertThat(sent(1)).hasSize(1);
    h.clock.advance(Duration.ofMinutes(1));
    h.running().engine().tick();
    h.running().engine().tick();
    List<String> texts = sent(2);
    assertThat(texts).hasSize(2);
    assertThat(texts.get(1)).contains("STILL FAILING: job sync").contains("(1h)").contains("Last error: exit 2");
    h.clock.advance(Duration.ofMinutes(30));
    h.running().engine().tick();
    assertThat(sent(2)).hasSize(2);
  }

  @Test
  void noReminderByDefault() {
    h.start();
    h.fail("sync", "exit 2");
    h.fail("sync", "exit 2");
    h.clock.advance(Duration.ofDays(2));
    h.running().engine().tick();
    assertThat(sent(1)).hasSize(1);
  }
}
