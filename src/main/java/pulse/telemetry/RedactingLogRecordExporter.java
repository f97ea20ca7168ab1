package pulse.telemetry;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.common.ValueType;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.resources.Resource;
import java.util.Collection;

/**
 * Masks secrets in every exported log record. The Logback bridge copies the formatted message and
 * the exception (message and stack trace) straight from the event, past Pulse's log layout, so the
 * masking has to happen here.
 */
final class RedactingLogRecordExporter implements LogRecordExporter {
  private final LogRecordExporter delegate;

  RedactingLogRecordExporter(LogRecordExporter delegate) {
    this.delegate = delegate;
  }

  @Override
  public CompletableResultCode export(Collection<LogRecordData> logs) {
    return delegate.export(logs.stream().<LogRecordData>map(Redacted::new).toList());
  }

  @Override
  public CompletableResultCode flush() {
    return delegate.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    return delegate.shutdown();
  }

  @Override
  public String toString() {
    return "RedactingLogRecordExporter{" + delegate + "}";
  }

  /** The record with its body and string attributes masked; everything else passes through. */
  @SuppressWarnings("deprecation") // getBody() is deprecated but still abstract: it must be implemented
  private static final class Redacted implements LogRecordData {
    private final LogRecordData d;
    private final Value<?> body;
    private final Attributes attributes;

    Redacted(LogRecordData d) {
      this.d = d;
      Value<?> b = d.getBodyValue();
      this.body = b != null && b.getType() == ValueType.STRING ? Value.of(RedactedData.text(b.asString())) : b;
      this.attributes = RedactedData.attributes(d.getAttributes());
    }

    @Override public Resource getResource() { return d.getResource(); }
    @Override public InstrumentationScopeInfo getInstrumentationScopeInfo() { return d.getInstrumentationScopeInfo(); }
    @Override public long getTimestampEpochNanos() { return d.getTimestampEpochNanos(); }
    @Override public long getObservedTimestampEpochNanos() { return d.getObservedTimestampEpochNanos(); }
    @Override public SpanContext getSpanContext() { return d.getSpanContext(); }
    @Override public Severity getSeverity() { return d.getSeverity(); }
    @Override public String getSeverityText() { return d.getSeverityText(); }
    @Override public Value<?> getBodyValue() { return body; }
    @Override public Attributes getAttributes() { return attributes; }
    @Override public int getTotalAttributeCount() { return d.getTotalAttributeCount(); }
    @Override public String getEventName() { return d.getEventName(); }

    @Override
    public io.opentelemetry.sdk.logs.data.Body getBody() {
      return body == null ? io.opentelemetry.sdk.logs.data.Body.empty()
          : io.opentelemetry.sdk.logs.data.Body.string(body.asString());
    }
  }
}
