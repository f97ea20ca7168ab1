package pulse.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import pulse.store.DatabaseRestore;
import pulse.api.store.StoreException;

/** {@code pulse db}: Pulse's own database. */
@Command(name = "db", description = "Pulse's own database.", mixinStandardHelpOptions = true,
    subcommands = {DbCommand.Restore.class})
final class DbCommand {
  @ParentCommand PulseCommand parent;

  /** {@code pulse db restore BACKUP}: with the daemon stopped. */
  @Command(name = "restore", mixinStandardHelpOptions = true,
      description = "Restore a db-backup zip as the database (stop the daemon first); the replaced file is kept.")
  static final class Restore implements Callable<Integer> {
    @ParentCommand DbCommand db;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "BACKUP", description = "a backup zip, such as <state dir>/backups/pulse-20261201-033000.zip")
    Path backup;

    @Override
    public Integer call() {
      var config = db.parent.bootstrap().config();
      if (config.database().postgres().isPresent()) {
        throw new UserError(ExitCodes.USAGE, "PULSE_DATABASE_URL is set: Pulse's state is in PostgreSQL ("
            + config.database().postgres().get().jdbcUrl() + "); restore it with PostgreSQL's tools (pg_restore)."
            + " pulse db restore is for the embedded file");
      }
      Path stateDir = config.stateDir();
      try {
        DatabaseRestore.Restored r = DatabaseRestore.restore(stateDir, backup, Instant.now());
        spec.commandLine().getOut().printf("restored %s into %s (%d runs in its history)%n", backup, r.file(), r.runs());
        if (r.previous() != null) {
          spec.commandLine().getOut().printf("the replaced file is kept as %s%n", r.previous());
        }
        spec.commandLine().getOut().println("start the daemon again: systemctl start pulse");
        return ExitCodes.OK;
      } catch (StoreException e) {
        throw new UserError(ExitCodes.FAILURE, e.getMessage());
      }
    }
  }
}
