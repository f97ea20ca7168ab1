package pulse.notify;

import java.time.Duration;
import java.util.Optional;
import pulse.api.Settings;

/**
 * The alerting configuration the engine and the sender run with, read once from validated settings.
 * Per-source thresholds and ping URLs are looked up on demand, since their keys are dynamic.
 */
record AlertConfig(
    int failures,
    Optional<Duration> remind,
    int flapCount,
    Duration flapWindow,
    Optional<Telegram> telegram,
    Optional<Webhook> webhook,
    Optional<String> pingTemplate,
    String statusUrl,
    Optional<String> traceUrl,
    Settings settings) {

  record Telegram(String apiUrl, String token, String chatId) {
    @Override
    public String toString() {
      return "Telegram[" + apiUrl + ", chat " + chatId + "]"; // never the token
    }
  }

  record Webhook(String url, Optional<String> secret) {
    @Override
    public String toString() {
      return "Webhook[" + url + "]";
    }
  }

  static AlertConfig from(Settings s) {
    Optional<Telegram> telegram = s.get(AlertSettings.TELEGRAM_TOKEN).flatMap(token -> s.get(AlertSettings.TELEGRAM_CHAT)
        .map(chat -> new Telegram(trimSlash(s.get(AlertSettings.TELEGRAM_API, AlertSettings.DEFAULT_TELEGRAM_API)), token, chat)));
    Optional<Webhook> webhook = s.get(AlertSettings.WEBHOOK_URL).map(u -> new Webhook(u, s.get(AlertSettings.WEBHOOK_SECRET)));
    return new AlertConfig(
        s.get(AlertSettings.FAILURES).flatMap(AlertSettings::parseInt).orElse(AlertSettings.DEFAULT_FAILURES),
        s.duration(AlertSettings.REMIND),
        s.get(AlertSettings.FLAP_COUNT).flatMap(AlertSettings::parseInt).orElse(AlertSettings.DEFAULT_FLAP_COUNT),
        s.duration(AlertSettings.FLAP_WINDOW).orElse(Duration.ofHours(1)),
        telegram,
        webhook,
        s.get(AlertSettings.PING_TEMPLATE),
        statusUrl(s),
        s.get(AlertSettings.TRACE_URL).filter(t -> t.contains("{trace_id}")),
        s);
  }

  /**
   * Consecutive failures that open an alert for this source: the operator's setting for the job or
   * check, else what the publishing family chose for it ({@code familyDefault}, 0 for none), else
   * the global {@code PULSE_ALERT_FAILURES}.
   */
  int threshold(String source, int familyDefault) {
    Optional<String> key = Sources.jobId(source).map(id -> AlertSettings.jobPrefix(id) + "ALERT_FAILURES")
        .or(() -> Sources.checkName(source).map(AlertSettings::checkFailuresKey));
    return key.flatMap(settings::get).flatMap(AlertSettings::parseInt).filter(n -> n >= 1)
        .orElse(familyDefault > 0 ? familyDefault : failures);
  }

  int threshold(String source) {
    return threshold(source, 0);
  }

  /** The ping URL of a job: its own PULSE_JOB_<ID>_PING_URL, else the template. */
  Optional<String> pingUrl(String jobId) {
    return settings.get(AlertSettings.jobPrefix(jobId) + "PING_URL")
        .or(() -> pingTemplate.map(t -> t.replace("{job}", jobId)))
        .map(AlertConfig::trimSlash);
  }

  /** A link to the trace, or empty when PULSE_TRACE_URL is unset or the trace id is unknown. */
  Optional<String> traceLink(String traceId) {
    if (traceId == null || traceId.isBlank() || traceId.chars().allMatch(c -> c == '0')) {
      return Optional.empty();
    }
    return traceUrl.map(t -> t.replace("{trace_id}", traceId));
  }

  boolean hasAlertChannel() {
    return telegram.isPresent() || webhook.isPresent();
  }

  private static String statusUrl(Settings s) {
    Optional<String> explicit = s.get(AlertSettings.API_URL);
    if (explicit.isPresent()) {
      String u = explicit.get();
      return u.endsWith("/") ? u : u + "/";
    }
    String host = s.get(AlertSettings.API_HOST, "127.0.0.1");
    if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
      try {
        host = java.net.InetAddress.getLocalHost().getHostName();
      } catch (java.net.UnknownHostException e) {
        host = "127.0.0.1";
      }
    }
    return "http://" + host + ":" + s.get(AlertSettings.API_PORT, "8765") + "/";
  }

  private static String trimSlash(String u) {
    return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
  }
}
