package pulse.jobs.prompt;

import java.util.Locale;

/** Where a pulse is in its life. Only {@code pending} pulses can be claimed or cancelled. */
public enum PulseStatus {
  PENDING,
  PROCESSING,
  COMPLETED,
  FAILED,
  CANCELLED;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static PulseStatus fromLabel(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT));
  }

  public boolean finished() {
    return this == COMPLETED || this == FAILED || this == CANCELLED;
  }
}
