package pulse.cli;

import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import pulse.config.ConfigException;
import pulse.config.PulseConfig;
import pulse.core.Daemon;
import pulse.telemetry.Telemetry;

/** {@code pulse daemon}: runs in the foreground until SIGTERM; what systemd starts. */
@Command(name = "daemon", description = "Run the scheduler in the foreground (what systemd runs).")
final class DaemonCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(DaemonCommand.class);
  @ParentCommand PulseCommand parent;

  @Override
  public Integer call() throws Exception {
    Bootstrap b;
    try {
      b = parent.bootstrap();
    } catch (ConfigException e) {
      for (String p : e.problems()) {
        log.error("Configuration: {}", p); // to the journal too, where systemd users look
      }
      throw e;
    }
    PulseConfig config = b.config();
    Logging.setRoot(config.logLevel());
    log.info("Pulse {} starting; effective configuration: {}", Version.current(), config.effective());
    b.found().problems().forEach(p -> log.error("Plugin problem: {}. The other jobs run.", p));
    Telemetry telemetry = Telemetry.start(config.settings().values(), Version.current());
    log.info("Telemetry export: {}", telemetry.exporterDescription());
    Daemon daemon;
    try {
      daemon = Daemon.start(config, b.found(), telemetry, Clock.systemUTC());
    } catch (RuntimeException e) {
      log.error("Pulse could not start: {}", e.getMessage());
      telemetry.close();
      // a store only a person can repair (an empty file, a failed migration): no restart loop
      boolean operator = e instanceof pulse.api.store.StoreException s && s.needsOperator();
      throw new UserError(operator ? ExitCodes.CONFIG : ExitCodes.FAILURE, "could not start: " + e.getMessage());
    }
    DaemonServices services;
    try {
      services = DaemonServices.start(daemon, telemetry, parent.env());
    } catch (RuntimeException e) {
      log.error("Pulse could not start: {}", e.getMessage());
      daemon.close();
      telemetry.close();
      throw new UserError(ExitCodes.FAILURE, "could not start: " + e.getMessage());
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("Stopping (signal received)");
      services.stopping();
      daemon.close();
      services.close();
      telemetry.close();
      log.info("Stopped");
      stopped.countDown();
    }, "pulse-shutdown"));
    stopped.await(); // the JVM exits from the shutdown hook (143 after SIGTERM)
    return ExitCodes.OK;
  }
}
