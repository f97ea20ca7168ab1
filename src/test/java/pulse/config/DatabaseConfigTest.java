package pulse.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseConfigTest {
  @TempDir Path dir;

  private static DatabaseConfig parse(Map<String, String> env, List<String> problems) {
    return DatabaseConfig.parse(new MapSettings(env, Map.of()), problems);
  }

  @Test
  void noUrlIsTheEmbeddedFileAndPostgresKeysWithoutItAreAnError() {
    List<String> problems = new ArrayList<>();
    assertThat(parse(Map.of(), problems).postgres()).isEmpty();
    assertThat(problems).isEmpty();
    parse(Map.of("PULSE_DATABASE_USER", "pulse"), problems);
    assertThat(problems).containsExactly("PULSE_DATABASE_USER is set but PULSE_DATABASE_URL is not: set PULSE_DATABASE_URL"
        + " to use PostgreSQL, or remove PULSE_DATABASE_USER");
  }

  @Test
  void theLibpqFormBecomesAJdbcUrlWithTheUserTakenFromIt() {
    List<String> problems = new ArrayList<>();
    DatabaseConfig.Postgres pg = parse(Map.of("PULSE_DATABASE_URL", "postgres://pulse@db.internal:6432/state?sslmode=require",
        "PULSE_DATABASE_PASSWORD", "s3cret-pw"), problems).postgres().orElseThrow();
    assertThat(problems).isEmpty();
    assertThat(pg.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:6432/state?sslmode=require");
    assertThat(pg.user()).isEqualTo("pulse");
    assertThat(pg.schema()).isEqualTo("pulse");
    assertThat(pg.poolSize()).isEqualTo(16);
    assertThat(pg.toString()).doesNotContain("s3cret-pw");
  }

  @Test
  void aPasswordFileIsReadAndAPasswordInTheUrlIsRefusedWithoutShowingIt() throws Exception {
    Path pw = dir.resolve("pw");
    Files.writeString(pw, "from-file-pw\n");
    List<String> problems = new ArrayList<>();
    DatabaseConfig.Postgres pg = parse(Map.of("PULSE_DATABASE_URL", "jdbc:postgresql://127.0.0.1/pulse",
        "PULSE_DATABASE_USER", "pulse", "PULSE_DATABASE_PASSWORD_FILE", pw.toString()), problems).postgres().orElseThrow();
    assertThat(pg.password()).contains("from-file-pw");
    parse(Map.of("PULSE_DATABASE_URL", "postgres://pulse:hunter2-pw@db/pulse"), problems);
    assertThat(problems).singleElement().asString()
        .isEqualTo("PULSE_DATABASE_URL='postgres://pulse:****@db/pulse': carries a password; put it in"
            + " PULSE_DATABASE_PASSWORD_FILE or PULSE_DATABASE_PASSWORD");
  }

  @Test
  void eachBadValueIsOneLineNamingTheKeyTheValueAndTheFix() {
    List<String> problems = new ArrayList<>();
    parse(Map.of("PULSE_DATABASE_URL", "jdbc:postgresql://db/pulse", "PULSE_DATABASE_SCHEMA", "Pulse; DROP",
        "PULSE_DATABASE_POOL_SIZE", "1", "PULSE_DATABASE_PASSWORD", "a", "PULSE_DATABASE_PASSWORD_FILE", "/nope"), problems);
    assertThat(problems).containsExactlyInAnyOrder(
        "PULSE_DATABASE_PASSWORD and PULSE_DATABASE_PASSWORD_FILE are both set: keep one",
        "PULSE_DATABASE_SCHEMA='Pulse; DROP': is not a plain lower-case SQL name; use letters, digits and _ (such as pulse), starting with a letter",
        "PULSE_DATABASE_POOL_SIZE='1': is out of range; use 2 to 200 connections",
        "PULSE_DATABASE_USER is not set: name the PostgreSQL role Pulse logs in as (or put it in PULSE_DATABASE_URL, postgres://user@host/db)");
    problems.clear();
    parse(Map.of("PULSE_DATABASE_URL", "postgres:///nohost", "PULSE_DATABASE_USER", "u"), problems);
    assertThat(problems).singleElement().asString().contains("names no host or database");
  }
}
