package pulse.jobs.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class ScheduledAtTest {
  final Instant now = Instant.parse("2026-05-01T10:00:00Z");
  final ZoneId berlin = ZoneId.of("Europe/Berlin");

  @Test
  void readsNowRelativeAndIsoTimes() {
    assertThat(ScheduledAt.parse("now", now, berlin)).isEqualTo(now);
    assertThat(ScheduledAt.parse(null, now, berlin)).isEqualTo(now);
    assertThat(ScheduledAt.parse("in 2h", now, berlin)).isEqualTo(now.plus(Duration.ofHours(2)));
    assertThat(ScheduledAt.parse("In 1h30m", now, berlin)).isEqualTo(now.plus(Duration.ofMinutes(90)));
    assertThat(ScheduledAt.parse("+30m", now, berlin)).isEqualTo(now.plus(Duration.ofMinutes(30)));
    assertThat(ScheduledAt.parse("2026-05-02T09:00:00Z", now, berlin)).isEqualTo(Instant.parse("2026-05-02T09:00:00Z"));
    assertThat(ScheduledAt.parse("2026-05-02T09:00+02:00", now, berlin)).isEqualTo(Instant.parse("2026-05-02T07:00:00Z"));
    assertThat(ScheduledAt.parse("2026-05-02T09:00", now, berlin)).isEqualTo(Instant.parse("2026-05-02T07:00:00Z"));
  }

  @Test
  void refusesWhatItCannotReadAndSaysWhatWorks() {
    for (String bad : new String[] {"tomorrow", "in two hours", "+", "2026-13-01T00:00Z", "in -5m"}) {
      assertThatThrownBy(() -> ScheduledAt.parse(bad, now, berlin))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'" + bad + "' is not a time")
          .hasMessageContaining("in 2h");
    }
  }
}
