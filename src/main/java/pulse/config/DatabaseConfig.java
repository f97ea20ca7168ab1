package pulse.config;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where Pulse keeps its state: the embedded H2 file in the state directory (the default), or a
 * PostgreSQL database named by {@code PULSE_DATABASE_URL}.
 *
 * @param postgres empty for the embedded file
 */
public record DatabaseConfig(Optional<Postgres> postgres) {
  public static final String URL = "PULSE_DATABASE_URL";
  public static final String USER = "PULSE_DATABASE_USER";
  public static final String PASSWORD = "PULSE_DATABASE_PASSWORD";
  public static final String PASSWORD_FILE = "PULSE_DATABASE_PASSWORD_FILE";
  public static final String SCHEMA = "PULSE_DATABASE_SCHEMA";
  public static final String POOL_SIZE = "PULSE_DATABASE_POOL_SIZE";
  public static final String DEFAULT_SCHEMA = "pulse";
  public static final int DEFAULT_POOL_SIZE = 16;
  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  public static final DatabaseConfig EMBEDDED = new DatabaseConfig(Optional.empty());

  /**
   * A PostgreSQL database.
   *
   * @param jdbcUrl a {@code jdbc:postgresql://} URL without user or password (those are separate,
   *     so the URL can be logged)
   * @param schema where Pulse's tables live, so a database shared with other applications is safe
   */
  public record Postgres(String jdbcUrl, String user, Optional<String> password, String schema, int poolSize) {
    @Override
    public String toString() {
      return "Postgres[" + jdbcUrl + ", user " + user + ", schema " + schema + "]"; // never the password
    }
  }

  /** Reads the database settings; each problem is one line naming the key, the value and the fix. */
  static DatabaseConfig parse(MapSettings settings, List<String> problems) {
    Optional<String> url = settings.get(URL).map(String::strip);
    if (url.isEmpty()) {
      for (String k : List.of(USER, PASSWORD, PASSWORD_FILE, SCHEMA)) {
        if (settings.isSet(k)) {
          problems.add(k + " is set but " + URL + " is not: set " + URL + " to use PostgreSQL, or remove " + k);
        }
      }
      return EMBEDDED;
    }
    List<String> mine = new ArrayList<>();
    Optional<String> jdbc = jdbcUrl(url.get(), mine);
    Optional<String> password = password(settings, mine);
    String schema = settings.get(SCHEMA).map(String::strip).orElse(DEFAULT_SCHEMA);
    if (!IDENTIFIER.matcher(schema).matches()) {
      mine.add(SettingCheck.format(SCHEMA, schema, false, "is not a plain lower-case SQL name",
          "use letters, digits and _ (such as pulse), starting with a letter"));
    }
    int pool = DEFAULT_POOL_SIZE;
    if (settings.isSet(POOL_SIZE)) {
      String v = settings.get(POOL_SIZE).orElseThrow();
      try {
        pool = Integer.parseInt(v.strip());
        if (pool < 2 || pool > 200) {
          mine.add(SettingCheck.format(POOL_SIZE, v, false, "is out of range", "use 2 to 200 connections"));
        }
      } catch (NumberFormatException e) {
        mine.add(SettingCheck.format(POOL_SIZE, v, false, "is not a number", "write a number such as 16"));
      }
    }
    String user = settings.get(USER).map(String::strip).orElse(null);
    if (user == null && jdbc.isPresent()) {
      user = userFromUrl(url.get()).orElse(null);
    }
    if ((user == null || user.isEmpty()) && jdbc.isPresent()) {
      mine.add(USER + " is not set: name the PostgreSQL role Pulse logs in as (or put it in " + URL + ", postgres://user@host/db)");
    }
    problems.addAll(mine);
    if (!mine.isEmpty()) {
      return EMBEDDED;
    }
    return new DatabaseConfig(Optional.of(new Postgres(jdbc.orElseThrow(), user, password, schema, pool)));
  }

  /**
   * {@code jdbc:postgresql://host[:port]/db[?params]}, or the libpq form {@code
   * postgres[ql]://[user[:password]@]host[:port]/db[?params]} that most users have at hand; a
   * password inside the URL is refused (the URL is logged; use the password settings).
   */
  static Optional<String> jdbcUrl(String url, List<String> problems) {
    String shown = url.replaceAll("//([^:/@]*):[^@/]*@", "//$1:****@");
    if (url.startsWith("jdbc:postgresql://")) {
      if (url.matches("jdbc:postgresql://[^/]*@.*") || url.matches(".*[?&]password=.*")) {
        problems.add(SettingCheck.format(URL, shown, false, "carries a password", "put it in " + PASSWORD_FILE + " or " + PASSWORD));
        return Optional.empty();
      }
      return Optional.of(url);
    }
    if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
      URI u;
      try {
        u = URI.create(url);
      } catch (IllegalArgumentException e) {
        problems.add(SettingCheck.format(URL, shown, false, "is not a URL", "write postgres://user@host:5432/dbname"));
        return Optional.empty();
      }
      if (u.getRawUserInfo() != null && u.getRawUserInfo().contains(":")) {
        problems.add(SettingCheck.format(URL, shown, false, "carries a password", "put it in " + PASSWORD_FILE + " or " + PASSWORD));
        return Optional.empty();
      }
      String path = u.getRawPath() == null ? "" : u.getRawPath();
      if (u.getHost() == null || path.length() < 2) {
        problems.add(SettingCheck.format(URL, shown, false, "names no host or database", "write postgres://user@host:5432/dbname"));
        return Optional.empty();
      }
      String port = u.getPort() < 0 ? "" : ":" + u.getPort();
      String query = u.getRawQuery() == null ? "" : "?" + u.getRawQuery();
      return Optional.of("jdbc:postgresql://" + u.getHost() + port + path + query);
    }
    problems.add(SettingCheck.format(URL, shown, false, "is not a PostgreSQL URL",
        "write postgres://user@host:5432/dbname or jdbc:postgresql://host:5432/dbname (unset it for the embedded database)"));
    return Optional.empty();
  }

  private static Optional<String> userFromUrl(String url) {
    if (url.startsWith("postgres")) {
      String info = URI.create(url).getUserInfo();
      return Optional.ofNullable(info).filter(s -> !s.isEmpty());
    }
    return Optional.empty();
  }

  private static Optional<String> password(MapSettings settings, List<String> problems) {
    if (settings.isSet(PASSWORD) && settings.isSet(PASSWORD_FILE)) {
      problems.add(PASSWORD + " and " + PASSWORD_FILE + " are both set: keep one");
      return Optional.empty();
    }
    if (settings.isSet(PASSWORD_FILE)) {
      String v = settings.get(PASSWORD_FILE).orElseThrow().strip();
      Path p = Path.of(v);
      try {
        String pw = Files.readString(p).strip();
        if (pw.isEmpty()) {
          problems.add(SettingCheck.format(PASSWORD_FILE, v, false, "is empty", "write the password into it"));
          return Optional.empty();
        }
        return Optional.of(pw);
      } catch (java.io.IOException | SecurityException e) {
        problems.add(SettingCheck.format(PASSWORD_FILE, v, false, "cannot be read (" + e.getClass().getSimpleName() + ")",
            "check the path and that the user Pulse runs as may read it"));
        return Optional.empty();
      }
    }
    return settings.get(PASSWORD);
  }
}
