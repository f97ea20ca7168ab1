package pulse.config;

import static pulse.api.Setting.Kind.BOOLEAN;
import static pulse.api.Setting.Kind.DURATION;
import static pulse.api.Setting.Kind.INTEGER;
import static pulse.api.Setting.Kind.PATH;
import static pulse.api.Setting.Kind.STRING;

import java.util.List;
import pulse.api.Setting;

/** The daemon's own settings. Every one is in the README's table; a test keeps the two in step. */
public final class CoreSettings {
  public static final String ENV_FILE = "PULSE_ENV_FILE";
  public static final String STATE_DIR = "PULSE_STATE_DIR";
  public static final String PLUGINS_DIR = "PULSE_PLUGINS_DIR";
  public static final String TIMEZONE = "PULSE_TIMEZONE";
  public static final String API_HOST = "PULSE_API_HOST";
  public static final String API_PORT = "PULSE_API_PORT";
  public static final String API_TOKEN = "PULSE_API_TOKEN";
  public static final String API_MAX_BODY = "PULSE_API_MAX_BODY";
  public static final String API_READ_TOKEN = "PULSE_API_READ_TOKEN";
  public static final String API_ALLOWED_HOSTS = "PULSE_API_ALLOWED_HOSTS";
  public static final String API_URL = "PULSE_API_URL";
  public static final String API_HEADER_TIMEOUT = "PULSE_API_HEADER_TIMEOUT";
  public static final String API_BODY_TIMEOUT = "PULSE_API_BODY_TIMEOUT";
  public static final String API_IDLE_TIMEOUT = "PULSE_API_IDLE_TIMEOUT";
  public static final String API_MAX_CONNECTIONS_PER_CLIENT = "PULSE_API_MAX_CONNECTIONS_PER_CLIENT";
  public static final String TRACE_URL = "PULSE_TRACE_URL";
  public static final String HISTORY_RETENTION = "PULSE_HISTORY_RETENTION";
  public static final String ALLOW_INSECURE_ENV_FILE = "PULSE_ALLOW_INSECURE_ENV_FILE";
  public static final String MISFIRE_GRACE = "PULSE_MISFIRE_GRACE";
  public static final String SHUTDOWN_GRACE = "PULSE_SHUTDOWN_GRACE";
  public static final String SCHEDULER_THREADS = "PULSE_SCHEDULER_THREADS";
  public static final String LOG_LEVEL = "PULSE_LOG_LEVEL";

  public static final String DEFAULT_ENV_FILE = ".env";
  public static final String DEFAULT_API_HOST = "127.0.0.1";
  public static final int DEFAULT_API_PORT = 8765;
  public static final int DEFAULT_API_MAX_BODY = 64 * 1024;
  /** Shorter tokens can be guessed; 16 random characters is the least worth having. */
  public static final int MIN_TOKEN_LENGTH = 16;
  // nginx waits 60 s; an admin API on loopback is answered by scripts and curl, which send a whole
  // request at once, so a few seconds is generous and frees a slow client's slot sooner.
  public static final String DEFAULT_API_HEADER_TIMEOUT = "5s";
  public static final String DEFAULT_API_BODY_TIMEOUT = "10s";
  public static final String DEFAULT_API_IDLE_TIMEOUT = "30s";
  public static final int DEFAULT_API_MAX_CONNECTIONS_PER_CLIENT = 16;
  public static final String DEFAULT_HISTORY_RETENTION = "30d";
  public static final String DEFAULT_MISFIRE_GRACE = "1h";
  public static final String DEFAULT_SHUTDOWN_GRACE = "20s";
  public static final int DEFAULT_SCHEDULER_THREADS = 100;
  public static final String DEFAULT_LOG_LEVEL = "info";

  /** Per-job keys: PULSE_JOB_<ID>_SCHEDULE, _ENABLED and _TIMEOUT. */
  public static final String JOB_PREFIX = "PULSE_JOB_";

  public static final List<Setting> ALL =
      List.of(
          Setting.of(ENV_FILE, PATH, DEFAULT_ENV_FILE, "env file to read (the process environment wins over it)"),
          Setting.of(STATE_DIR, PATH, null,
              "state directory (database, plugins); default $STATE_DIRECTORY under systemd, else ~/.local/state/pulse"),
          Setting.of(PLUGINS_DIR, PATH, null, "directory of plugin jars; default <state dir>/plugins"),
          Setting.of(TIMEZONE, STRING, null, "time zone for cron schedules, such as Europe/Berlin; default the system's"),
          Setting.of(API_HOST, STRING, DEFAULT_API_HOST, "address the HTTP API listens on"),
          Setting.of(API_PORT, INTEGER, String.valueOf(DEFAULT_API_PORT), "HTTP API port (0 picks a free one)"),
          Setting.of(API_TOKEN, STRING, null, "bearer token for API writes; writes are off without it").asSecret(),
          Setting.of(API_READ_TOKEN, STRING, null,
              "bearer token for API reads (all but /api/health); reads are open without it, and the write token also reads").asSecret(),
          Setting.of(API_ALLOWED_HOSTS, STRING, null,
              "comma-separated Host names the API answers to; default localhost, 127.0.0.1, ::1 and PULSE_API_HOST (DNS rebinding)"),
          Setting.of(API_MAX_BODY, INTEGER, String.valueOf(DEFAULT_API_MAX_BODY), "largest request body in bytes"),
          Setting.of(API_HEADER_TIMEOUT, DURATION, DEFAULT_API_HEADER_TIMEOUT,
              "time a client has from a request's first byte to the end of its headers (then 408)"),
          Setting.of(API_BODY_TIMEOUT, DURATION, DEFAULT_API_BODY_TIMEOUT,
              "time a client has to send a request body after its headers (then 408)"),
          Setting.of(API_IDLE_TIMEOUT, DURATION, DEFAULT_API_IDLE_TIMEOUT,
              "an idle keep-alive connection, or one whose client does not read its answer, is closed after this"),
          Setting.of(API_MAX_CONNECTIONS_PER_CLIENT, INTEGER, String.valueOf(DEFAULT_API_MAX_CONNECTIONS_PER_CLIENT),
              "open connections one client address may hold; more are answered 429"),
          Setting.of(API_URL, Setting.Kind.URL, null,
              "where CLI commands find the daemon; default http://<PULSE_API_HOST>:<PULSE_API_PORT>"),
          Setting.of(TRACE_URL, STRING, null,
              "link from a run to its trace: a URL template with {trace_id}"),
          Setting.of(HISTORY_RETENTION, DURATION, DEFAULT_HISTORY_RETENTION, "how long run history is kept"),
          Setting.of(ALLOW_INSECURE_ENV_FILE, BOOLEAN, "false",
              "accept an env file that group or others can read"),
          Setting.of(MISFIRE_GRACE, DURATION, DEFAULT_MISFIRE_GRACE,
              "a fire late by less than this still runs (once); later ones skip to the next fire"),
          Setting.of(SHUTDOWN_GRACE, DURATION, DEFAULT_SHUTDOWN_GRACE,
              "on stop, how long running jobs get to finish after being asked to stop"),
          Setting.of(SCHEDULER_THREADS, INTEGER, String.valueOf(DEFAULT_SCHEDULER_THREADS),
              "Quartz threads that hand fires to jobs (jobs run on their own threads)"),
          Setting.of(LOG_LEVEL, STRING, DEFAULT_LOG_LEVEL, "error, warn, info, debug or trace"),
          Setting.of(DatabaseConfig.URL, STRING, null,
              "PostgreSQL database for all of Pulse's state (postgres://user@host:5432/db or jdbc:postgresql://...); default the embedded file in the state directory"),
          Setting.of(DatabaseConfig.USER, STRING, null, "PostgreSQL role; default the user in PULSE_DATABASE_URL"),
          Setting.of(DatabaseConfig.PASSWORD, STRING, null, "PostgreSQL password").asSecret(),
          Setting.of(DatabaseConfig.PASSWORD_FILE, PATH, null, "file holding the PostgreSQL password (instead of PULSE_DATABASE_PASSWORD)"),
          Setting.of(DatabaseConfig.SCHEMA, STRING, DatabaseConfig.DEFAULT_SCHEMA,
              "PostgreSQL schema of Pulse's tables (created if missing), so a shared database is safe"),
          Setting.of(DatabaseConfig.POOL_SIZE, INTEGER, String.valueOf(DatabaseConfig.DEFAULT_POOL_SIZE),
              "PostgreSQL connections Pulse keeps at most"));

  private CoreSettings() {}

  /** The PULSE_JOB_<ID>_ prefix of a job id: {@code backup-db} becomes {@code PULSE_JOB_BACKUP_DB_}. */
  public static String jobPrefix(String jobId) {
    return JOB_PREFIX + jobId.toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_";
  }
}
