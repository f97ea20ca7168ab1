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

  @Test
  void timesOutsideTheirRangeAreRefusedNamingTheRangeNotStoredWrong() {
    for (String bad : new String[] {"in 109572000000d", "-300000000-01-01T00:00:00Z", "in 9999999999999d", "in 5000000000000w",
        "in 106751991167301d", "9999-12-31T23:59:59Z", "in 4000d", "1999-12-31T23:59:59Z"}) {
      assertThatThrownBy(() -> ScheduledAt.parse(bad, now, berlin))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .message().satisfiesAnyOf(
              m -> org.assertj.core.api.Assertions.assertThat(m).contains("out of range").contains("10 years ahead"),
              m -> org.assertj.core.api.Assertions.assertThat(m).contains("at most 36500d"));
    }
    assertThat(ScheduledAt.parse("in 3650d", now, berlin)).isEqualTo(now.plus(Duration.ofDays(3650)));
    assertThat(ScheduledAt.parse("2001-01-01T00:00:00Z", now, berlin)).as("a past time is kept: it is due now")
        .isEqualTo(Instant.parse("2001-01-01T00:00:00Z"));
  }
}
