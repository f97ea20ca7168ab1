package pulse.api;

import io.opentelemetry.api.OpenTelemetry;
import java.nio.file.Path;
import java.time.Clock;
import javax.sql.DataSource;

/** What a started {@link Extension} gets from the daemon. */
public interface ExtensionContext {

  Settings settings();

  Clock clock();

  /** Pulse's own database; an extension touches only the tables its migrations made. */
  DataSource dataSource();

  OpenTelemetry openTelemetry();

  /** Pulse's state directory, for files the extension keeps. */
  Path stateDir();
}
