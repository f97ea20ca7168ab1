package pulse.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import pulse.config.Redactor;

class LogLayoutTest {
  private static final String SECRET = "pw-0a1b2c3d4e5f";
  private final LoggerContext context = new LoggerContext();
  private final Logger logger = context.getLogger("pulse.core.JobRunner");

  @AfterEach
  void reset() {
    Redactor.install(new Redactor(List.of()));
  }

  private static LogLayout layout(String journal) {
    LogLayout l = new LogLayout();
    l.setJournal(journal);
    l.start();
    return l;
  }

  private LoggingEvent event(Level level, String message, Throwable t, Object... args) {
    return new LoggingEvent(Logger.class.getName(), logger, level, message, t, args);
  }

  private static List<String> lines(String text) {
    assertThat(text).endsWith("\n");
    return Arrays.asList(text.split("\n"));
  }

  @Test
  void journaldPrefixesEveryLineIncludingStackTraceLinesWithItsPriority() {
    LogLayout l = layout("true");
    Exception e = new IllegalStateException("outer", new java.io.IOException("inner"));
    List<String> error = lines(l.doLayout(event(Level.ERROR, "Run {} failed:\nsecond line", e, 42)));
    assertThat(error.size()).isGreaterThan(6);
    assertThat(error).allMatch(s -> s.startsWith("<3>"));
    assertThat(error.get(0)).isEqualTo("<3>JobRunner: Run 42 failed:");
    assertThat(error.get(1)).isEqualTo("<3>second line");
    assertThat(error).anyMatch(s -> s.startsWith("<3>java.lang.IllegalStateException: outer"));
    assertThat(error).anyMatch(s -> s.startsWith("<3>\tat pulse.telemetry.LogLayoutTest"));
    assertThat(error).anyMatch(s -> s.startsWith("<3>Caused by: java.io.IOException: inner"));

    assertThat(lines(l.doLayout(event(Level.WARN, "w", null)))).containsExactly("<4>JobRunner: w");
    assertThat(lines(l.doLayout(event(Level.INFO, "i", null)))).containsExactly("<6>JobRunner: i");
    assertThat(lines(l.doLayout(event(Level.DEBUG, "d", null)))).containsExactly("<7>JobRunner: d");
    assertThat(lines(l.doLayout(event(Level.TRACE, "t", null)))).containsExactly("<7>JobRunner: t");
  }

  @Test
  void journaldLinesHaveNoTimestampAndConsoleLinesDo() {
    String journal = layout("true").doLayout(event(Level.INFO, "hello", null));
    String console = layout("false").doLayout(event(Level.INFO, "hello", null));
    assertThat(journal).isEqualTo("<6>JobRunner: hello\n");
    assertThat(console).matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3} INFO  JobRunner: hello\\R");
  }

  @Test
  void secretsAreMaskedInMessagesArgumentsAndStackTraces() {
    Redactor.install(new Redactor(List.of(SECRET)));
    for (String mode : List.of("true", "false")) {
      String out = layout(mode).doLayout(event(Level.ERROR, "login {} refused", new RuntimeException("bad " + SECRET), SECRET));
      assertThat(out).doesNotContain(SECRET).contains("login **** refused", "java.lang.RuntimeException: bad ****");
    }
  }

  @Test
  void aLineWrittenInsideASpanCarriesItsIds() {
    try (SdkTracerProvider tracers = SdkTracerProvider.builder().build()) {
      Span span = tracers.get("t").spanBuilder("x").startSpan();
      String out;
      try (Scope ignored = span.makeCurrent()) {
        out = layout("true").doLayout(event(Level.INFO, "inside", null));
      }
      span.end();
      assertThat(out).isEqualTo("<6>JobRunner: inside trace_id=" + span.getSpanContext().getTraceId()
          + " span_id=" + span.getSpanContext().getSpanId() + "\n");
      assertThat(layout("false").doLayout(event(Level.INFO, "outside", null))).doesNotContain("trace_id");
    }
  }

  @Test
  void jobLoggersShowTheJobId() {
    LoggingEvent e = new LoggingEvent(Logger.class.getName(), context.getLogger("pulse.job.nightly-backup"), Level.INFO, "x", null, null);
    assertThat(layout("true").doLayout(e)).isEqualTo("<6>nightly-backup: x\n");
  }
}
