package pulse.telemetry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** Placeholder until the telemetry branch lands. */
public final class RunSpan {
  private RunSpan() {}

  public static Span start(Tracer tracer, String jobId, String trigger, Instant scheduled, Duration lateness) {
    return tracer.spanBuilder("pulse.job " + jobId).setSpanKind(SpanKind.INTERNAL).startSpan();
  }

  public static void end(Span span, String outcome, Throwable error, Map<String, Object> summary) {
    span.end();
  }
}
