package pulse.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import pulse.config.Redactor;

/**
 * The span of one run: {@code pulse.job <id>}, INTERNAL, a root of its own trace. Every text that
 * may hold a secret (error message, exception message and stack trace) is redacted before it is set,
 * so the secret never reaches the SDK.
 */
public final class RunSpan {
  public static final AttributeKey<String> JOB_ID = AttributeKey.stringKey("pulse.job.id");
  public static final AttributeKey<String> TRIGGER = AttributeKey.stringKey("pulse.job.trigger");
  public static final AttributeKey<String> SCHEDULED_TIME = AttributeKey.stringKey("pulse.job.scheduled_time");
  public static final AttributeKey<Long> LATENESS_MS = AttributeKey.longKey("pulse.job.lateness_ms");
  public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("pulse.job.outcome");
  public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  public static final AttributeKey<String> ERROR_MESSAGE = AttributeKey.stringKey("error.message");
  static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey("exception.type");
  static final AttributeKey<String> EXCEPTION_MESSAGE = AttributeKey.stringKey("exception.message");
  static final AttributeKey<String> EXCEPTION_STACKTRACE = AttributeKey.stringKey("exception.stacktrace");

  private RunSpan() {}

  public static Span start(Tracer tracer, String jobId, String trigger, Instant scheduled, Duration lateness) {
    return tracer.spanBuilder("pulse.job " + jobId)
        .setSpanKind(SpanKind.INTERNAL)
        .setNoParent() // a run is its own trace, whoever asked for it
        .setAttribute(JOB_ID, jobId)
        .setAttribute(TRIGGER, trigger)
        .setAttribute(SCHEDULED_TIME, scheduled.toString())
        .setAttribute(LATENESS_MS, lateness.toMillis())
        .startSpan();
  }

  /**
   * Ends the span with the run's outcome.
   *
   * @param failure whether the outcome counts as a failure (status ERROR)
   * @param errorType the error's type, or null
   * @param errorMessage a one-line error summary, or null; redacted here again
   * @param error the exception the job threw, or null; recorded as an {@code exception} event
   */
  public static void end(Span span, String outcome, boolean failure, String errorType, String errorMessage, Throwable error) {
    span.setAttribute(OUTCOME, outcome);
    String message = Redactor.redactText(errorMessage);
    if (errorType != null) {
      span.setAttribute(ERROR_TYPE, errorType);
    }
    if (message != null) {
      span.setAttribute(ERROR_MESSAGE, message);
    }
    if (error != null) {
      // Not span.recordException: it would copy the raw message and stack trace into the SDK.
      span.addEvent("exception", Attributes.of(
          EXCEPTION_TYPE, error.getClass().getName(),
          EXCEPTION_MESSAGE, Redactor.redactText(String.valueOf(error.getMessage())),
          EXCEPTION_STACKTRACE, Redactor.redactText(stackTrace(error))));
    }
    if (failure) {
      span.setStatus(StatusCode.ERROR, message != null ? message : outcome);
    }
    span.end();
  }

  static String stackTrace(Throwable t) {
    StringWriter w = new StringWriter();
    try (PrintWriter p = new PrintWriter(w)) {
      t.printStackTrace(p);
    }
    return w.toString();
  }
}
