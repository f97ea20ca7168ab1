package pulse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ScheduleTest {

  @Test
  void unixCronGainsSecondsAndAQuestionMark() {
    assertThat(Schedule.parse("0 * * * *").cron()).isEqualTo("0 0 * * * ?");
    assertThat(Schedule.parse("*/5 2 * * *").cron()).isEqualTo("0 */5 2 * * ?");
  }

  @Test
  void unixWeekdaysAreRenumberedForQuartz() {
    // Unix: 0 and 7 are Sunday, 1 Monday; Quartz: 1 is Sunday, 2 Monday
    assertThat(Schedule.parse("30 6 * * 1-5").cron()).isEqualTo("0 30 6 ? * 2-6");
    assertThat(Schedule.parse("0 0 * * 0,7").cron()).isEqualTo("0 0 0 ? * 1,1");
    assertThat(Schedule.parse("0 0 * * MON").cron()).isEqualTo("0 0 0 ? * MON");
  }

  @Test
  void quartzCronPassesThrough() {
    assertThat(Schedule.parse("*/10 * * * * ?").cron()).isEqualTo("*/10 * * * * ?");
  }

  @Test
  void macrosAndIntervals() {
    assertThat(Schedule.parse("@hourly").cron()).isEqualTo("0 0 * * * ?");
    assertThat(Schedule.parse("@DAILY").cron()).isEqualTo("0 0 0 * * ?");
    assertThat(Schedule.parse("every 5m").interval()).isEqualTo(Duration.ofMinutes(5));
    assertThat(Schedule.parse("30s").interval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(Schedule.parse("PT1H").interval()).isEqualTo(Duration.ofHours(1));
    assertThat(Schedule.parse("every 1h30m").interval()).isEqualTo(Duration.ofMinutes(90));
  }

  @Test
  void badSchedulesSayWhatIsAccepted() {
    assertThatThrownBy(() -> Schedule.parse("every fortnight"))
        .hasMessageContaining("every fortnight").hasMessageContaining("every 5m");
    assertThatThrownBy(() -> Schedule.parse("61 * * * *")).hasMessageContaining("not valid cron");
    assertThatThrownBy(() -> Schedule.parse("0 0 1 * 1")).hasMessageContaining("both day of month and day of week");
    assertThatThrownBy(() -> Schedule.parse("@sometimes")).hasMessageContaining("unknown macro");
    assertThatThrownBy(() -> Schedule.parse("100ms")).hasMessageContaining("shorter than 1s");
    assertThatThrownBy(() -> Schedule.parse("* * *")).hasMessageContaining("3 fields");
  }
}
