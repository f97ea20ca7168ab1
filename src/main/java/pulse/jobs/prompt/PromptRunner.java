package pulse.jobs.prompt;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import pulse.api.Durations;
import pulse.jobs.shared.Subprocess;

/**
 * Runs one attempt of a pulse: the configured command with the prompt as its last argument, inside
 * a span {@code pulse.prompt <id>} that links to the request which scheduled the pulse.
 */
final class PromptRunner {
  static final int TAIL_LINES = 200;
  static final int TAIL_CHARS = 16_000;
  private static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");

  private final ExecutorConfig config;
  private final Tracer tracer;

  PromptRunner(ExecutorConfig config, OpenTelemetry otel) {
    this.config = config;
    this.tracer = otel.getTracer("pulse.prompt");
  }

  /**
   * @param onStart gets the command's process once it started (to record its pid)
   */
  Attempt run(PromptPulse p, BooleanSupplier cancelled, Consumer<ProcessHandle> onStart) {
    SpanBuilder b = tracer.spanBuilder("pulse.prompt " + p.id()).setNoParent().setSpanKind(SpanKind.INTERNAL)
        .setAttribute("pulse.prompt.id", p.id())
        .setAttribute("pulse.prompt.priority", p.priority().label())
        .setAttribute("pulse.prompt.source", p.source())
        .setAttribute("pulse.prompt.attempt", p.attempts());
    SpanContext request = parse(p.requestTraceparent());
    if (request.isValid()) {
      b.addLink(request);
    }
    Span span = b.startSpan();
    String traceId = span.getSpanContext().isValid() ? span.getSpanContext().getTraceId() : null;
    long t0 = System.nanoTime();
    List<String> argv = new ArrayList<>(config.command());
    argv.add(p.prompt());
    try (Scope ignored = span.makeCurrent()) {
      Subprocess.Result r = Subprocess.of(argv)
          .workDir(config.workDir())
          .timeout(config.timeout())
          .grace(java.time.Duration.ofSeconds(5))
          .cancelledWhen(cancelled)
          .onStart(onStart)
          .tailLines(TAIL_LINES)
          .run();
      long millis = (System.nanoTime() - t0) / 1_000_000;
      String tail = tail(r);
      span.setAttribute("pulse.prompt.exit_code", r.exitCode());
      if (r.ok()) {
        return new Attempt(true, r.exitCode(), null, tail, traceId, millis);
      }
      String error = switch (r.end()) {
        case TIMED_OUT -> "timed out after " + Durations.format(config.timeout()) + " (" + PromptSettings.TIMEOUT + ")";
        case CANCELLED -> "stopped before it finished";
        case EXITED -> "exited with " + r.exitCode() + lastLine(r.stderrTail(), r.stdoutTail());
      };
      span.setStatus(StatusCode.ERROR, error);
      return new Attempt(false, r.exitCode(), error, tail, traceId, millis);
    } catch (InterruptedIOException e) {
      Thread.currentThread().interrupt();
      span.setStatus(StatusCode.ERROR, "interrupted");
      return new Attempt(false, null, "stopped before it finished", null, traceId, (System.nanoTime() - t0) / 1_000_000);
    } catch (IOException e) {
      span.setStatus(StatusCode.ERROR, e.getMessage());
      return new Attempt(false, null, e.getMessage() + "; check " + PromptSettings.COMMAND + " and " + PromptSettings.WORKDIR,
          null, traceId, (System.nanoTime() - t0) / 1_000_000);
    } finally {
      span.end();
    }
  }

  private static String lastLine(List<String> stderr, List<String> stdout) {
    List<String> l = stderr.isEmpty() ? stdout : stderr;
    for (int i = l.size() - 1; i >= 0; i--) {
      if (!l.get(i).isBlank()) {
        String line = l.get(i).strip();
        return ": " + (line.length() > 300 ? line.substring(0, 300) + "…" : line);
      }
    }
    return "";
  }

  private static String tail(Subprocess.Result r) {
    StringBuilder b = new StringBuilder(r.stdoutText());
    if (!r.stderrTail().isEmpty()) {
      b.append(b.length() > 0 ? "\n" : "").append("--- stderr ---\n").append(r.stderrText());
    }
    return b.length() > TAIL_CHARS ? b.substring(b.length() - TAIL_CHARS) : b.toString();
  }

  /** A W3C traceparent as a remote span context; invalid if absent or malformed. */
  static SpanContext parse(String traceparent) {
    if (traceparent == null) {
      return SpanContext.getInvalid();
    }
    Matcher m = TRACEPARENT.matcher(traceparent.trim());
    if (!m.matches()) {
      return SpanContext.getInvalid();
    }
    return SpanContext.createFromRemoteParent(m.group(1), m.group(2),
        TraceFlags.fromByte((byte) Integer.parseInt(m.group(3), 16)), TraceState.getDefault());
  }
}
