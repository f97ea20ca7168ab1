package pulse.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import pulse.itjobs.CrashJob;
import pulse.itjobs.FailJob;
import pulse.itjobs.SleepJob;
import pulse.itjobs.TickJob;

/** Packs the compiled jobs of {@code pulse.itjobs} into a plugin jar, as a user's plugin would be. */
public final class TestPluginJar {
  private static final Class<?>[] JOBS = {TickJob.class, SleepJob.class, FailJob.class, CrashJob.class};

  private TestPluginJar() {}

  public static Path write(Path pluginsDir) throws IOException {
    Path jar = pluginsDir.resolve("it-jobs.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      StringBuilder services = new StringBuilder();
      for (Class<?> c : JOBS) {
        String entry = c.getName().replace('.', '/') + ".class";
        out.putNextEntry(new JarEntry(entry));
        try (var in = c.getClassLoader().getResourceAsStream(entry)) {
          in.transferTo(out);
        }
        services.append(c.getName()).append('\n');
      }
      out.putNextEntry(new JarEntry("META-INF/services/pulse.api.Job"));
      OutputStream o = out;
      o.write(services.toString().getBytes(StandardCharsets.UTF_8));
    }
    return jar;
  }
}
