package pulse.jobs.backup;

import io.opentelemetry.api.common.Attributes;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import pulse.api.JobCancelledException;
import pulse.api.JobContext;
import pulse.api.JobFailedException;
import pulse.jobs.shared.Subprocess;

/**
 * Runs restic for one job run: cancellation and timeout from the run (SIGINT, grace, kill — restic
 * removes its lock on SIGINT), a span event per call, stderr into the run's output, failures
 * classified into messages that say what to do, and one retry after removing stale locks.
 */
final class ResticCalls {
  /** restic writes its lock removal on SIGINT within a second; the rest of the grace is margin. */
  static final Duration GRACE = Duration.ofSeconds(15);

  private final JobContext ctx;
  private final Restic restic;
  private final String repository;

  ResticCalls(JobContext ctx) {
    this.ctx = ctx;
    this.restic = new Restic(ctx.settings());
    this.repository = BackupSettings.repository(ctx.settings()).orElse("(no repository)");
  }

  /**
   * Runs {@code restic <args>}; returns when it exited with one of {@code okCodes}.
   *
   * @param name the restic command, for messages and the span event
   * @throws JobFailedException with a classified message
   * @throws JobCancelledException when the run was cancelled or timed out (restic got SIGINT)
   */
  Subprocess.Result run(String name, List<String> args, Consumer<String> stdout, Set<Integer> okCodes) {
    return run(name, args, stdout, ctx::output, okCodes);
  }

  /** As above, with restic's stderr going to {@code stderr} instead of the run's output. */
  Subprocess.Result run(String name, List<String> args, Consumer<String> stdout, Consumer<String> stderr,
      Set<Integer> okCodes) {
    Subprocess.Result r = once(name, args, stdout, stderr);
    if (okCodes.contains(r.exitCode())) {
      return r;
    }
    ResticFailure failure = ResticFailure.classify(r.stderrText());
    if (failure == ResticFailure.LOCKED && recoverStaleLocks(name)) {
      r = once(name, args, stdout, stderr);
      if (okCodes.contains(r.exitCode())) {
        return r;
      }
      failure = ResticFailure.classify(r.stderrText());
    }
    throw new JobFailedException(failure.message(name, repository, ResticFailure.lastErrorLine(r.stderrTail())));
  }

  private Subprocess.Result once(String name, List<String> args, Consumer<String> stdout, Consumer<String> stderr) {
    Subprocess.Result r;
    try {
      r = restic.command(args)
          .timeout(ctx.timeout().plus(GRACE))
          .grace(GRACE)
          .cancelledWhen(ctx::isCancelled)
          .onStdout(stdout)
          .onStderr(stderr)
          .run();
    } catch (java.io.InterruptedIOException e) {
      throw new JobCancelledException("restic " + name + " was stopped with SIGINT: the run was cancelled");
    } catch (IOException e) {
      throw new JobFailedException(ResticFailure.CANNOT_START.message(name, repository, e.getMessage()), e);
    }
    ctx.span().addEvent("restic " + name, Attributes.builder()
        .put("restic.exit_code", r.exitCode())
        .put("restic.duration_ms", r.took().toMillis())
        .put("restic.end", r.end().name().toLowerCase(java.util.Locale.ROOT))
        .build());
    if (r.end() != Subprocess.End.EXITED) {
      throw new JobCancelledException("restic " + name + " was stopped with SIGINT (exit " + r.exitCode()
          + "): the run was " + (r.end() == Subprocess.End.TIMED_OUT ? "past its timeout" : "cancelled"));
    }
    return r;
  }

  /** True if stale locks were removed and no live lock remains: worth one retry. */
  private boolean recoverStaleLocks(String name) {
    StaleLocks locks = new StaleLocks(restic, BackupSettings.staleLockAfter(ctx.settings()), ctx.clock(),
        StaleLocks.hostName(), ctx::isCancelled);
    StaleLocks.Report report;
    try {
      report = locks.inspectAndUnlock();
    } catch (IOException e) {
      ctx.log().warn("Could not inspect the locks of the repository: {}", e.getMessage());
      return false;
    }
    ctx.checkCancelled(); // a cancel while inspecting makes the lookups empty, not the lock live
    if (!report.live().isEmpty()) {
      String live = report.live().stream().map(l -> l.describe(ctx.clock())).collect(Collectors.joining("; "));
      throw new JobFailedException("restic " + name + ": repository " + repository + " is locked by a live restic ("
          + live + "); not breaking it. Wait for it to finish, or if that process is gone run 'restic unlock' on"
          + " its host");
    }
    if (report.stale().isEmpty() || !report.unlocked()) {
      return false;
    }
    String stale = report.stale().stream().map(l -> l.describe(ctx.clock())).collect(Collectors.joining("; "));
    ctx.log().warn("Removed stale restic lock(s) with 'restic unlock': {}. Retrying restic {} once.", stale, name);
    ctx.output("removed stale lock(s): " + stale);
    ctx.summary("stale_locks_removed", (long) report.stale().size());
    return true;
  }
}
