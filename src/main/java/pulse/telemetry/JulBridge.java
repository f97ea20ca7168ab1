package pulse.telemetry;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenTelemetry SDK logs through java.util.logging, which would print two-line, unprefixed,
 * unredacted messages on stderr (an unreachable collector, a bad header). This sends its warnings
 * to SLF4J instead, so they get the journald prefix and redaction like every other line.
 */
final class JulBridge extends Handler {
  /** JUL holds loggers weakly: keep ours, or its handler and level vanish with the next GC. */
  private static final java.util.logging.Logger OTEL = java.util.logging.Logger.getLogger("io.opentelemetry");
  private static volatile boolean installed;

  static synchronized void install() {
    if (installed) {
      return;
    }
    OTEL.setUseParentHandlers(false);
    OTEL.setLevel(Level.INFO);
    OTEL.addHandler(new JulBridge());
    installed = true;
  }

  @Override
  public void publish(LogRecord r) {
    if (!isLoggable(r)) {
      return;
    }
    Logger log = LoggerFactory.getLogger(r.getLoggerName() == null ? "io.opentelemetry" : r.getLoggerName());
    String msg = r.getMessage();
    if (r.getParameters() != null && msg != null && msg.contains("{0")) {
      msg = java.text.MessageFormat.format(msg, r.getParameters());
    }
    Throwable thrown = r.getThrown();
    if (thrown != null && !log.isDebugEnabled()) {
      // A collector that is down would otherwise print a 40-line stack trace per batch.
      msg = msg + " (" + rootCause(thrown) + ")";
      thrown = null;
    }
    int level = r.getLevel().intValue();
    if (level >= Level.SEVERE.intValue()) {
      log.error(msg, thrown);
    } else if (level >= Level.WARNING.intValue()) {
      log.warn(msg, thrown);
    } else if (level >= Level.INFO.intValue()) {
      log.info(msg, thrown);
    } else {
      log.debug(msg, thrown);
    }
  }

  /** The innermost cause with a message, e.g. "java.net.ConnectException: Connection refused". */
  static String rootCause(Throwable t) {
    Throwable best = t;
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c.getMessage() != null || best.getMessage() == null) {
        best = c;
      }
    }
    return best.toString();
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}
}
