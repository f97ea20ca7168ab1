package pulse.jobs.prompt;

import pulse.jobs.shared.CommandLineWords;
import static pulse.api.Setting.Kind.BOOLEAN;
import static pulse.api.Setting.Kind.DURATION;
import static pulse.api.Setting.Kind.INTEGER;
import static pulse.api.Setting.Kind.PATH;
import static pulse.api.Setting.Kind.STRING;
import static pulse.api.Setting.Kind.URL;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import pulse.api.Setting;
import pulse.api.Settings;

/** Every setting of the prompt family, with its default. The README's table lists each one. */
public final class PromptSettings {
  public static final String MAX_CONCURRENT = "PULSE_MAX_CONCURRENT";
  public static final String COMMAND = "PULSE_PROMPT_COMMAND";
  public static final String WORKDIR = "PULSE_PROMPT_WORKDIR";
  public static final String TIMEOUT = "PULSE_PROMPT_TIMEOUT";
  public static final String MAX_ATTEMPTS = "PULSE_PROMPT_MAX_ATTEMPTS";
  public static final String RETRY_BACKOFF = "PULSE_PROMPT_RETRY_BACKOFF";
  public static final String LEASE = "PULSE_PROMPT_LEASE";
  public static final String POLL_INTERVAL = "PULSE_PROMPT_POLL_INTERVAL";
  public static final String HEARTBEAT_MORNING = "PULSE_PROMPT_HEARTBEAT_MORNING";
  public static final String HEARTBEAT_AFTERNOON = "PULSE_PROMPT_HEARTBEAT_AFTERNOON";
  public static final String HEARTBEAT_EVENING = "PULSE_PROMPT_HEARTBEAT_EVENING";
  public static final String HEARTBEAT_NIGHT = "PULSE_PROMPT_HEARTBEAT_NIGHT";
  public static final String PROVIDERS_DIR = "PULSE_CREDENTIAL_PROVIDERS_DIR";
  public static final String PROVIDER_TIMEOUT = "PULSE_CREDENTIAL_PROVIDER_TIMEOUT";
  public static final String BACKUP_DIR = "PULSE_DB_BACKUP_DIR";
  public static final String BACKUP_KEEP = "PULSE_DB_BACKUP_KEEP";
  public static final String TELEGRAM_TOKEN = "TELEGRAM_BOT_TOKEN";
  public static final String TELEGRAM_CHAT = "TELEGRAM_CHAT_ID";
  public static final String TELEGRAM_NOTIFY = "PULSE_PROMPT_TELEGRAM_NOTIFY";
  public static final String TELEGRAM_LISTEN = "PULSE_PROMPT_TELEGRAM_LISTEN";
  public static final String TELEGRAM_API_URL = "PULSE_TELEGRAM_API_URL";

  public static final int DEFAULT_MAX_CONCURRENT = 1;
  public static final String DEFAULT_COMMAND = "hapi run --text";
  public static final String DEFAULT_TIMEOUT = "30m";
  public static final int DEFAULT_MAX_ATTEMPTS = 3;
  public static final String DEFAULT_RETRY_BACKOFF = "1m";
  public static final String DEFAULT_LEASE = "1m";
  public static final String DEFAULT_POLL_INTERVAL = "1s";
  public static final String DEFAULT_PROVIDER_TIMEOUT = "2m";
  public static final String DEFAULT_BACKUP_KEEP = "30d";
  public static final String DEFAULT_TELEGRAM_API_URL = "https://api.telegram.org";
  public static final String DEFAULT_MORNING =
      "Good morning. It is {time}. Review today's plan, open tasks and anything that came in overnight.";
  public static final String DEFAULT_AFTERNOON =
      "Afternoon check-in at {time}. What is done, what is blocked, what needs attention before evening?";
  public static final String DEFAULT_EVENING =
      "Evening wrap-up at {time}. Summarise the day and note what carries over to tomorrow.";
  public static final String DEFAULT_NIGHT =
      "Night watch at {time}. Only act on something urgent; otherwise note it for the morning.";

  public static final List<Setting> ALL = List.of(
      Setting.of(MAX_CONCURRENT, INTEGER, String.valueOf(DEFAULT_MAX_CONCURRENT), "prompt pulses run at the same time"),
      Setting.string(COMMAND, DEFAULT_COMMAND, "command that runs a pulse; the prompt is appended as one argument (no shell)"),
      Setting.of(WORKDIR, PATH, null, "working directory of the prompt command; default the daemon's"),
      Setting.of(TIMEOUT, DURATION, DEFAULT_TIMEOUT, "a pulse's command is stopped (SIGINT, then SIGKILL) after this long"),
      Setting.of(MAX_ATTEMPTS, INTEGER, String.valueOf(DEFAULT_MAX_ATTEMPTS), "attempts per pulse before it is failed"),
      Setting.of(RETRY_BACKOFF, DURATION, DEFAULT_RETRY_BACKOFF, "wait before the first retry; doubles with each attempt"),
      Setting.of(LEASE, DURATION, DEFAULT_LEASE, "lease of a running pulse, renewed while it runs; a crashed run is retried after it expires"),
      Setting.of(POLL_INTERVAL, DURATION, DEFAULT_POLL_INTERVAL, "how often the executor looks for due pulses (new ones wake it at once)"),
      Setting.string(HEARTBEAT_MORNING, DEFAULT_MORNING, "heartbeat prompt 06-12; {time} is replaced by the local time"),
      Setting.string(HEARTBEAT_AFTERNOON, DEFAULT_AFTERNOON, "heartbeat prompt 12-18"),
      Setting.string(HEARTBEAT_EVENING, DEFAULT_EVENING, "heartbeat prompt 18-22"),
      Setting.string(HEARTBEAT_NIGHT, DEFAULT_NIGHT, "heartbeat prompt 22-06"),
      Setting.of(PROVIDERS_DIR, PATH, null, "directory of executable credential providers run by credential-keepalive"),
      Setting.of(PROVIDER_TIMEOUT, DURATION, DEFAULT_PROVIDER_TIMEOUT, "time each credential provider may take"),
      Setting.of(BACKUP_DIR, PATH, null, "where db-backup writes; default <state dir>/backups"),
      Setting.of(BACKUP_KEEP, DURATION, DEFAULT_BACKUP_KEEP, "db-backup deletes its backups older than this"),
      Setting.string(TELEGRAM_TOKEN, null, "Telegram bot token, for pulse outcomes and the listener").asSecret(),
      Setting.string(TELEGRAM_CHAT, null, "the Telegram chat id that gets outcomes and may schedule pulses"),
      Setting.of(TELEGRAM_NOTIFY, BOOLEAN, "false", "send each pulse's outcome to the Telegram chat"),
      Setting.of(TELEGRAM_LISTEN, BOOLEAN, "false", "turn messages from the Telegram chat into pulses"),
      Setting.of(TELEGRAM_API_URL, URL, DEFAULT_TELEGRAM_API_URL, "Telegram Bot API base URL"));

  private PromptSettings() {}

  /** Problems with the settings as a whole, one line each (key, value, fix). */
  public static List<String> validate(Settings s) {
    List<String> problems = new ArrayList<>();
    range(s, MAX_CONCURRENT, 1, 64, problems);
    range(s, MAX_ATTEMPTS, 1, 100, problems);
    try {
      if (CommandLineWords.split(s.get(COMMAND, DEFAULT_COMMAND)).isEmpty()) {
        problems.add(COMMAND + " is empty; set it to the program that runs a prompt, such as '" + DEFAULT_COMMAND + "'");
      }
    } catch (IllegalArgumentException e) {
      problems.add(COMMAND + "='" + s.get(COMMAND, "") + "': " + e.getMessage());
    }
    for (String key : List.of(LEASE, POLL_INTERVAL, TIMEOUT)) {
      if (s.duration(key).map(d -> d.toMillis() < 100).orElse(false)) {
        problems.add(key + "='" + s.get(key, "") + "' is too short; use at least 100ms");
      }
    }
    Optional<String> chat = s.get(TELEGRAM_CHAT);
    if (chat.isPresent() && !chat.get().trim().matches("-?\\d+")) {
      problems.add(TELEGRAM_CHAT + "='" + chat.get() + "' is not a chat id; use the number, such as 123456789 (groups are negative)");
    }
    for (String key : List.of(TELEGRAM_NOTIFY, TELEGRAM_LISTEN)) {
      if (s.bool(key) && (s.get(TELEGRAM_TOKEN).isEmpty() || chat.isEmpty())) {
        problems.add(key + "=true needs " + TELEGRAM_TOKEN + " and " + TELEGRAM_CHAT + "; set both or set " + key + "=false");
      }
    }
    return problems;
  }

  private static void range(Settings s, String key, int min, int max, List<String> problems) {
    try {
      Optional<Integer> v = s.integer(key);
      if (v.isPresent() && (v.get() < min || v.get() > max)) {
        problems.add(key + "=" + v.get() + " is out of range; use " + min + " to " + max);
      }
    } catch (NumberFormatException e) {
      // the core reports a malformed number with the key
    }
  }
}
