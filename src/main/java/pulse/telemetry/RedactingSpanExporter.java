package pulse.telemetry;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.DelegatingSpanData;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.List;

/**
 * Masks secrets in every exported span: names, attributes, event attributes (a job's own
 * {@code recordException} included) and the status description. {@link RunSpan} already redacts
 * what Pulse sets; this catches what job and extension code sets on spans.
 */
final class RedactingSpanExporter implements SpanExporter {
  private final SpanExporter delegate;

  RedactingSpanExporter(SpanExporter delegate) {
    this.delegate = delegate;
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    return delegate.export(spans.stream().<SpanData>map(Redacted::new).toList());
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
    return "RedactingSpanExporter{" + delegate + "}";
  }

  private static final class Redacted extends DelegatingSpanData {
    private final Attributes attributes;
    private final List<EventData> events;
    private final StatusData status;
    private final String name;

    Redacted(SpanData span) {
      super(span);
      this.name = RedactedData.text(span.getName());
      this.attributes = RedactedData.attributes(span.getAttributes());
      this.events = span.getEvents().stream()
          .map(e -> EventData.create(e.getEpochNanos(), e.getName(), RedactedData.attributes(e.getAttributes()),
              e.getTotalAttributeCount()))
          .toList();
      StatusData s = span.getStatus();
      this.status = s.getDescription() == null || s.getDescription().isEmpty()
          ? s : StatusData.create(s.getStatusCode(), RedactedData.text(s.getDescription()));
    }

    @Override
    public String getName() {
      return name;
    }

    @Override
    public Attributes getAttributes() {
      return attributes;
    }

    @Override
    public List<EventData> getEvents() {
      return events;
    }

    @Override
    public StatusData getStatus() {
      return status;
    }
  }
}
