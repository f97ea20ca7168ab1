package pulse.notify;

import static pulse.api.Setting.Kind.DURATION;
import static pulse.api.Setting.Kind.INTEGER;
import static pulse.api.Setting.Kind.STRING;
import static pulse.api.Setting.Kind.URL;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import pulse.api.Setting;
import pulse.api.Settings;

/** The alerting settings: declared keys, the per-job keys this extension owns, and their checks. */
final class AlertSettings {
  static final String FAILURES = "PULSE_ALERT_FAILURES";
  static final String REMIND = "PULSE_ALERT_REMIND";
  static final String FLAP_COUNT = "PULSE_ALERT_FLAP_COUNT";
  static final String FLAP_WINDOW = "PULSE_ALERT_FLAP_WINDOW";
  static final String TELEGRAM_TOKEN = "TELEGRAM_BOT_TOKEN";
  static final String TELEGRAM_CHAT = "TELEGRAM_CHAT_ID";
  static final String TELEGRAM_API = "PULSE_TELEGRAM_API_URL";
  static final String WEBHOOK_URL = "PULSE_ALERT_WEBHOOK_URL";
  static final String WEBHOOK_SECRET = "PULSE_ALERT_WEBHOOK_SECRET";
  static final String PING_TEMPLATE = "PULSE_PING_URL_TEMPLATE";
  /** Core settings read for links in notifications. */
  static final String API_URL = "PULSE_API_URL";
  static final String API_HOST = "PULSE_API_HOST";
  static final String API_PORT = "PULSE_API_PORT";
  static final String TRACE_URL = "PULSE_TRACE_URL";

  static final int DEFAULT_FAILURES = 2;
  static final int DEFAULT_FLAP_COUNT = 3;
  static final String DEFAULT_FLAP_WINDOW = "1h";
  static final String DEFAULT_TELEGRAM_API = "https://api.telegram.org";

  /** Per-job keys: PULSE_JOB_<ID>_ALERT_FAILURES and PULSE_JOB_<ID>_PING_URL. */
  static final Pattern JOB_KEY = Pattern.compile("PULSE_JOB_([A-Z0-9_]+)_(ALERT_FAILURES|PING_URL)");

  static final List<Setting> ALL =
      List.of(
          Setting.of(FAILURES, INTEGER, String.valueOf(DEFAULT_FAILURES),
              "consecutive failures of a job or check that open an alert"),
          Setting.of(REMIND, DURATION, null, "repeat the notification of an alert still open after this long; off when unset"),
          Setting.of(FLAP_COUNT, INTEGER, String.valueOf(DEFAULT_FLAP_COUNT),
              "the K-th alert of one source within PULSE_ALERT_FLAP_WINDOW is flapping and stays open until stable; 0 turns damping off"),
          Setting.of(FLAP_WINDOW, DURATION, DEFAULT_FLAP_WINDOW,
              "flapping window, and how long a flapping source must stay healthy before its alert resolves"),
          Setting.of(TELEGRAM_TOKEN, STRING, null, "Telegram bot token (from @BotFather) for alert messages").asSecret(),
          Setting.of(TELEGRAM_CHAT, STRING, null, "Telegram chat id that receives alert messages"),
          Setting.of(TELEGRAM_API, URL, DEFAULT_TELEGRAM_API, "Telegram Bot API base URL"),
          Setting.of(WEBHOOK_URL, URL, null, "URL that receives each alert notification as a JSON POST"),
          Setting.of(WEBHOOK_SECRET, STRING, null,
              "HMAC-SHA256 key: signs webhook bodies in the X-Pulse-Signature-256 header").asSecret(),
          Setting.of(PING_TEMPLATE, STRING, null,
              "healthchecks.io-style ping URL for every job, with {job} for the job id").asSecret());

  private AlertSettings() {}

  static boolean ownsKey(String key) {
    return JOB_KEY.matcher(key).matches();
  }

  /** The PULSE_JOB_<ID>_ prefix of a job id, as the core spells it. */
  static String jobPrefix(String jobId) {
    return "PULSE_JOB_" + jobId.toUpperCase(Locale.ROOT).replace('-', '_') + "_";
  }

  /** PULSE_CHECK_<NAME>_FAILURES, owned and validated by the health checks. */
  static String checkFailuresKey(String checkName) {
    return "PULSE_CHECK_" + checkName.toUpperCase(Locale.ROOT).replace('-', '_') + "_FAILURES";
  }

  /**
   * Problems beyond each key's kind (which the core checks): ranges, pairs that go together, and the
   * per-job keys seen by {@link #ownsKey}.
   */
  static List<String> problems(Settings s, Collection<String> ownedKeys) {
    List<String> out = new ArrayList<>();
    atLeast(s, FAILURES, 1, out);
    atLeast(s, FLAP_COUNT, 0, out);
    positive(s, REMIND, out);
    positive(s, FLAP_WINDOW, out);
    boolean token = s.get(TELEGRAM_TOKEN).isPresent();
    boolean chat = s.get(TELEGRAM_CHAT).isPresent();
    if (token && !chat) {
      out.add(TELEGRAM_CHAT + " is not set but " + TELEGRAM_TOKEN
          + " is; set the chat id too (send the bot a message, then read it from getUpdates)");
    } else if (chat && !token) {
      out.add(TELEGRAM_TOKEN + " is not set but " + TELEGRAM_CHAT + " is; set the bot token from @BotFather");
    }
    if (s.get(WEBHOOK_SECRET).isPresent() && s.get(WEBHOOK_URL).isEmpty()) {
      out.add(WEBHOOK_SECRET + " is set but " + WEBHOOK_URL + " is not; set the webhook URL or remove the secret");
    }
    s.get(PING_TEMPLATE).ifPresent(t -> {
      if (!t.contains("{job}")) {
        out.add(PING_TEMPLATE + "=****: has no {job}; write a template such as https://hc-ping.com/<ping key>/{job}");
      } else if (!isHttpUrl(t.replace("{job}", "job"))) {
        out.add(PING_TEMPLATE + "=****: not an absolute http(s) URL; write a template such as https://hc-ping.com/<ping key>/{job}");
      }
    });
    for (String key : ownedKeys) {
      String v = s.get(key).orElse("");
      if (v.isBlank()) {
        continue;
      }
      if (key.endsWith("_ALERT_FAILURES")) {
        Optional<Integer> n = parseInt(v);
        if (n.isEmpty() || n.get() < 1) {
          out.add(key + "='" + v + "': not a whole number of at least 1; write how many consecutive failures open an alert, such as 3");
        }
      } else if (!isHttpUrl(v)) {
        out.add(key + "=****: not an absolute http(s) URL; write a ping URL such as https://hc-ping.com/<uuid>");
      }
    }
    return out;
  }

  static boolean isHttpUrl(String v) {
    try {
      URI u = URI.create(v.trim());
      return u.getHost() != null && ("http".equals(u.getScheme()) || "https".equals(u.getScheme()));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  static Optional<Integer> parseInt(String v) {
    try {
      return Optional.of(Integer.parseInt(v.trim()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static void atLeast(Settings s, String key, int min, List<String> out) {
    s.get(key).flatMap(AlertSettings::parseInt).filter(n -> n < min).ifPresent(n ->
        out.add(key + "='" + n + "': must be at least " + min + "; write a whole number such as " + Math.max(min, 2)));
  }

  private static void positive(Settings s, String key, List<String> out) {
    try {
      s.duration(key).filter(d -> d.isZero() || d.isNegative()).ifPresent(d ->
          out.add(key + "='" + s.get(key).orElse("") + "': must be longer than 0; write a duration such as 4h"));
    } catch (IllegalArgumentException e) {
      // the core reports a malformed duration
    }
  }
}
