package pulse.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.testing.DaemonProcess;
import pulse.testing.PostgresServer;
import pulse.testing.TestPluginJar;

/**
 * The built jar on a real PostgreSQL 15 instead of the embedded file: every table in its own
 * schema beside another application's, state kept across kill -9, the server going away and
 * coming back, and the start-up errors a user meets first (a wrong password, no server).
 */
class PostgresStoreIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "it-api-token-0123456789";
  private static PostgresServer pg;
  @TempDir Path dir;

  @BeforeAll
  static void startPostgres() {
    pg = PostgresServer.startPrivate();
  }

  @AfterAll
  static void stopPostgres() {
    if (pg != null) {
      pg.close();
    }
  }

  private Map<String, String> env(String schema) {
    Map<String, String> env = new HashMap<>();
    env.put("PULSE_DATABASE_URL", "postgres://postgres@127.0.0.1:" + pg.port() + "/postgres");
    env.put("PULSE_DATABASE_PASSWORD", PostgresServer.PASSWORD);
    env.put("PULSE_DATABASE_SCHEMA", schema);
    env.put("PULSE_API_TOKEN", TOKEN);
    env.put("PULSE_JOB_IT_TICK_SCHEDULE", "every 1s");
    return env;
  }

  private DaemonProcess daemon(Map<String, String> env) throws Exception {
    DaemonProcess d = new DaemonProcess(dir, env);
    TestPluginJar.write(d.pluginsDir());
    return d;
  }

  private static long count(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl("postgres"), "postgres", PostgresServer.PASSWORD);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static int ticks(DaemonProcess d) throws Exception {
    return JSON.readTree(d.get("/api/runs?limit=1000&job=it-tick").body()).size();
  }

  @Test
  void everyTableLivesInPulsesSchemaBesideAnotherApplicationsAndSurvivesKillDashNine() throws Exception {
    // another application's tables, named like Pulse's, in the database Pulse is given
    pg.sql("postgres", "CREATE TABLE IF NOT EXISTS public.alerts (id INT PRIMARY KEY, what TEXT)");
    pg.sql("postgres", "INSERT INTO public.alerts VALUES (1, 'theirs') ON CONFLICT DO NOTHING");
    long pulseId;
    try (DaemonProcess d = daemon(env("pulse")).start()) {
      await().atMost(Duration.ofSeconds(20)).until(() -> ticks(d) >= 2);
      var r = d.post("/api/pulse/schedule", TOKEN, "{\"prompt\":\"on postgres\",\"scheduled_at\":\"" + Instant.now().plusSeconds(3600) + "\"}");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
      pulseId = JSON.readTree(r.body()).path("id").asLong();
      assertThat(d.signal("KILL")).isEqualTo(137);
    }
    assertThat(Files.exists(dir.resolve("state").resolve("pulse.mv.db"))).as("no embedded file").isFalse();
    assertThat(count("SELECT COUNT(*) FROM pulse.pulse_runs WHERE job_id = 'it-tick'")).isGreaterThanOrEqualTo(2);
    assertThat(count("SELECT COUNT(*) FROM pulse.qrtz_triggers")).isPositive();
    assertThat(count("SELECT COUNT(*) FROM pulse.pulse_prompts WHERE prompt = 'on postgres'")).isEqualTo(1);
    assertThat(count("SELECT COUNT(*) FROM public.alerts")).as("the other application's table is untouched").isEqualTo(1);
    assertThat(count("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name LIKE 'qrtz%'"))
        .as("nothing of Pulse's outside its schema").isZero();

    try (DaemonProcess d = daemon(env("pulse")).start()) {
      JsonNode p = JSON.readTree(d.get("/api/pulse/" + pulseId).body());
      assertThat(p.path("status").asText()).isEqualTo("pending");
      assertThat(p.path("prompt").asText()).isEqualTo("on postgres");
      int before = ticks(d);
      await().atMost(Duration.ofSeconds(20)).until(() -> ticks(d) > before);
      assertThat(d.output()).contains("PostgreSQL at jdbc:postgresql://127.0.0.1:" + pg.port() + "/postgres (schema pulse) runs with fsync=off")
          .doesNotContain(PostgresServer.PASSWORD);
    }
  }

  @Test
  void whenPostgresGoesAwayHealthAndWritesSay503AndPulseResumesWhenItIsBack() throws Exception {
    try (DaemonProcess d = daemon(env("outage")).start()) {
      await().atMost(Duration.ofSeconds(20)).until(() -> ticks(d) >= 1);
      pg.stop();
      try {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
            .until(() -> d.get("/api/health").statusCode() == 503);
        String health = d.get("/api/health").body();
        assertThat(health).contains("PostgreSQL");
        var w = d.post("/api/pulse/schedule", TOKEN, "{\"prompt\":\"while down\"}");
        assertThat(w.statusCode()).as(w.body()).isEqualTo(503);
        assertThat(w.headers().firstValue("Retry-After")).isPresent();
        assertThat(w.body()).doesNotContain(PostgresServer.PASSWORD).doesNotContain("Exception");
      } finally {
        pg.start();
      }
      await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250)).until(() -> d.healthy());
      int after = ticks(d);
      await().atMost(Duration.ofSeconds(30)).until(() -> ticks(d) > after + 1);
      var ok = d.post("/api/pulse/schedule", TOKEN, "{\"prompt\":\"after\"}");
      assertThat(ok.statusCode()).as(ok.body()).isEqualTo(201);
      assertThat(d.process().isAlive()).isTrue();
    }
  }

  @Test
  void aWrongPasswordIsExit78WithOneLineAndAMissingServerIsARetryableExit() throws Exception {
    Map<String, String> wrong = env("wrongpw");
    wrong.put("PULSE_DATABASE_PASSWORD", "not-the-password-123");
    DaemonProcess d = daemon(wrong);
    Process p = d.command("daemon").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isEqualTo(78);
    assertThat(out).contains("refused the login of postgres").contains("PULSE_DATABASE_PASSWORD")
        .doesNotContain("not-the-password-123").doesNotContain("\tat ");

    Map<String, String> gone = env("gone");
    int closed;
    try (var s = new java.net.ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    gone.put("PULSE_DATABASE_URL", "postgres://postgres@127.0.0.1:" + closed + "/postgres");
    Process q = daemon(gone).command("daemon").redirectErrorStream(true).start();
    String qout = new String(q.getInputStream().readAllBytes());
    assertThat(q.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(q.exitValue()).as(qout).isNotIn(0, 78);
    assertThat(qout).contains("cannot be reached").contains("PULSE_DATABASE_URL").doesNotContain("\tat ");

    Map<String, String> bad = env("bad");
    bad.put("PULSE_DATABASE_URL", "mysql://db/x");
    Process r = daemon(bad).command("daemon").redirectErrorStream(true).start();
    String rout = new String(r.getInputStream().readAllBytes());
    assertThat(r.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(r.exitValue()).as(rout).isEqualTo(78);
    assertThat(rout).contains("PULSE_DATABASE_URL='mysql://db/x': is not a PostgreSQL URL");
  }
}
