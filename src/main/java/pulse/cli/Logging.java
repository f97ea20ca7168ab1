package pulse.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** Log levels: commands other than the daemon log warnings only, so their output stays clean. */
final class Logging {
  private Logging() {}

  static void quietForCommands(String[] args) {
    boolean daemon = false;
    for (String a : args) {
      if (!a.startsWith("-")) {
        daemon = a.equals("daemon");
        break;
      }
    }
    if (!daemon) {
      setRoot("warn");
    }
  }

  static void setRoot(String level) {
    Object root = LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    if (root instanceof Logger l) {
      l.setLevel(Level.toLevel(level, Level.INFO));
    }
  }
}
