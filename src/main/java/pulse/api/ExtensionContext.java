package pulse.api;

import io.opentelemetry.api.OpenTelemetry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import pulse.api.store.Dialect;
import pulse.api.store.NamedLeases;
import pulse.api.store.Store;

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

  /**
   * The store kit over {@link #dataSource()}: statements, transactions and group commit with one
   * rule for times, nulls and errors, on the embedded database and on PostgreSQL. A family's
   * store uses this, not JDBC of its own.
   */
  default Store store() {
    return Store.of(dataSource(), transactions(), Dialect.of(dataSource()));
  }

  /**
   * Named leases ({@code pulse_leases}), for work one node at a time may do; row leases on a
   * family's own table come from {@link pulse.api.store.Leases#on}.
   */
  default NamedLeases leases() {
    return NamedLeases.on(store());
  }

  /**
   * This node's stable id: the owner of the leases it takes, and the name other nodes and the run
   * history know it by. Kept in the state directory, so it survives restarts.
   */
  default String nodeId() {
    return "local";
  }

  /**
   * The operator's channels as a durable queue (see {@link Notifications}); {@link
   * Notifications#NONE} when no started extension provides them.
   */
  default Notifications notifications() {
    return Notifications.NONE;
  }

  /** Every kind of alert source the started extensions publish ({@code job}, {@code check} and theirs). */
  default Set<String> alertSourceKinds() {
    return Set.of("job", "check");
  }

  /** The time zone schedules are read in ({@code PULSE_TIMEZONE}, else the system's). */
  default ZoneId zone() {
    return clock().getZone();
  }
}
