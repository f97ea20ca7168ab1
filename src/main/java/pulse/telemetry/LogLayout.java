package pulse.telemetry;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import pulse.config.Redactor;

/**
 * Pulse's one log layout. Under systemd ({@code JOURNAL_STREAM} set) every line — each line of a
 * multi-line message and of a stack trace too — starts with its sd-daemon priority ({@code <3>}
 * error, {@code <4>} warning, {@code <6>} info, {@code <7>} debug) and has no timestamp (the journal
 * keeps its own). Elsewhere: a readable line with the local time. Both end with {@code trace_id} and
 * {@code span_id} when a span is current, and both pass the whole text, stack trace included,
 * through the installed {@link Redactor}.
 */
public final class LogLayout extends LayoutBase<ILoggingEvent> {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

  private Boolean journal;

  /** "auto" (the default: journald when {@code JOURNAL_STREAM} is set), "true" or "false". */
  public void setJournal(String mode) {
    journal = mode == null || mode.isBlank() || mode.equalsIgnoreCase("auto") ? null : Boolean.parseBoolean(mode.strip());
  }

  boolean journal() {
    return journal != null ? journal : System.getenv("JOURNAL_STREAM") != null;
  }

  @Override
  public void start() {
    if (journal == null) {
      journal = System.getenv("JOURNAL_STREAM") != null;
    }
    super.start();
  }

  @Override
  public String doLayout(ILoggingEvent e) {
    StringBuilder b = new StringBuilder(128);
    boolean j = journal();
    if (!j) {
      b.append(TIME.format(Instant.ofEpochMilli(e.getTimeStamp()))).append(' ');
      b.append(String.format("%-5s", e.getLevel())).append(' ');
    }
    b.append(shortName(e.getLoggerName())).append(": ").append(e.getFormattedMessage());
    SpanContext span = Span.current().getSpanContext();
    if (span.isValid()) {
      b.append(" trace_id=").append(span.getTraceId()).append(" span_id=").append(span.getSpanId());
    }
    IThrowableProxy t = e.getThrowableProxy();
    if (t != null) {
      b.append(CoreConstants.LINE_SEPARATOR).append(ThrowableProxyUtil.asString(t));
    }
    String text = Redactor.redactText(b.toString());
    if (!j) {
      return text.endsWith("\n") ? text : text + CoreConstants.LINE_SEPARATOR;
    }
    return prefixEveryLine(text, "<" + priority(e.getLevel()) + ">");
  }

  static String prefixEveryLine(String text, String prefix) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (String line : text.split("\r\n|\r|\n")) {
      out.append(prefix).append(line).append('\n');
    }
    return out.toString();
  }

  /** sd-daemon(3) priorities; TRACE goes out as debug. */
  static int priority(Level level) {
    if (level.isGreaterOrEqual(Level.ERROR)) {
      return 3;
    }
    if (level.isGreaterOrEqual(Level.WARN)) {
      return 4;
    }
    return level.isGreaterOrEqual(Level.INFO) ? 6 : 7;
  }

  /** The class name without its package; a job's logger {@code pulse.job.backup} becomes {@code backup}. */
  static String shortName(String logger) {
    if (logger == null) {
      return "";
    }
    if (logger.startsWith("pulse.job.")) {
      return logger.substring("pulse.job.".length());
    }
    int dot = logger.lastIndexOf('.');
    return dot < 0 ? logger : logger.substring(dot + 1);
  }
}
