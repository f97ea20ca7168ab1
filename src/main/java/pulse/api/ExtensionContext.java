package pulse.api;

import io.opentelemetry.api.OpenTelemetry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/** What a started {@link Extension} gets from the daemon. */
public interface ExtensionContext {

  Settings settings();

  Clock clock();

  /** Pulse's own database; an extension touches only the tables its migrations made. */
  DataSource dataSource();

  /**
   * Short writes on {@link #dataSource()} that many threads make at once (one per run, per check, per
   * request), committed together. Reads and long transactions take a connection of their own.
   */
  Transactions transactions();

  OpenTelemetry openTelemetry();

  /** Pulse's state directory, for files the extension keeps. */
  Path stateDir();

  /** Ids of every discovered job, enabled or not. */
  Set<String> jobIds();

  /** When each job last succeeded, from the run history; jobs that never succeeded are absent. */
  Map<String, Instant> lastSuccessByJob();

  /** Hands a check result to every started extension's {@link Extension#checkFinished}. */
  void publish(CheckEvent event);
}
