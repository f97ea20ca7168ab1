package bench.lateness;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import pulse.api.Extension;
import pulse.api.ExtensionContext;
import pulse.api.Job;
import pulse.api.Setting;

/**
 * The lateness benchmark's plugin: BENCH_JOBS jobs (default 100) named bench-000 ..., each firing
 * every second; every run appends "job scheduled-epoch-ms lateness-us trigger" to BENCH_LATENESS_FILE.
 */
public final class LatenessExtension implements Extension {
  static final String FILE = "BENCH_LATENESS_FILE";
  static final String JOBS = "BENCH_JOBS";
  static final String SCHEDULE = "BENCH_SCHEDULE";

  private BufferedWriter out;

  @Override
  public String name() {
    return "bench-lateness";
  }

  @Override
  public List<Setting> settings() {
    return List.of(
        Setting.of(FILE, Setting.Kind.PATH, null, "where runs append their lateness").asRequired(),
        Setting.of(JOBS, Setting.Kind.INTEGER, "100", "how many jobs"),
        Setting.of(SCHEDULE, Setting.Kind.SCHEDULE, "1s", "each job's schedule"));
  }

  /** jobs() runs at discovery, before settings reach the extension: read the environment directly. */
  @Override
  public List<Job> jobs() {
    String n = System.getenv().getOrDefault(JOBS, "100");
    String schedule = System.getenv().getOrDefault(SCHEDULE, "1s");
    List<Job> jobs = new ArrayList<>();
    for (int i = 0; i < Integer.parseInt(n.trim()); i++) {
      jobs.add(new LatenessJob(String.format("bench-%03d", i), schedule, this));
    }
    return jobs;
  }

  @Override
  public void start(ExtensionContext context) throws IOException {
    Path file = context.settings().path(FILE).orElseThrow();
    out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  synchronized void record(String jobId, long scheduledMs, long latenessUs, String trigger) {
    try {
      out.write(jobId + " " + scheduledMs + " " + latenessUs + " " + trigger + "\n");
      out.flush(); // a killed daemon keeps what was measured
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public synchronized void stop() {
    try {
      if (out != null) {
        out.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
