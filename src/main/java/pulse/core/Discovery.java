package pulse.core;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import pulse.api.Extension;
import pulse.api.Job;
import pulse.api.Setting;
import pulse.config.ConfigException;

/**
 * Finds jobs and extensions with {@link ServiceLoader}: Pulse's own jar first, then every jar in the
 * plugins directory, each in a class loader of its own so one plugin's classes cannot shadow
 * another's. A provider that fails to load is reported and left out; it never stops the others.
 */
public final class Discovery {
  static final Pattern JOB_ID = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

  /**
   * What was found.
   *
   * @param sources where each job id came from (built-in, or the plugin jar's file name)
   * @param problems providers that could not be loaded, one line each
   */
  public record Found(List<Job> jobs, List<Extension> extensions, Map<String, String> sources, List<String> problems) {

    /** Every setting the jobs and extensions declare; a plugin whose settings() throws declares none. */
    public List<Setting> declaredSettings() {
      List<Setting> out = new ArrayList<>();
      for (Job j : jobs) {
        try {
          out.addAll(j.settings());
        } catch (RuntimeException | LinkageError e) {
          // reported when the job is planned; its keys are then unknown
        }
      }
      for (Extension x : extensions) {
        try {
          out.addAll(x.settings());
        } catch (RuntimeException | LinkageError e) {
          // as above
        }
      }
      return out;
    }

    public List<String> jobIds() {
      return jobs.stream().map(Job::id).toList();
    }
  }

  private Discovery() {}

  /**
   * @throws ConfigException for two jobs with one id or an id that is not kebab-case
   */
  public static Found discover(ClassLoader app, Path pluginsDir) {
    List<Job> jobs = new ArrayList<>();
    List<Extension> extensions = new ArrayList<>();
    Map<String, String> sources = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    List<String> errors = new ArrayList<>();

    collect(app, "built-in", jobs, extensions, sources, problems, errors);
    for (Path jar : pluginJars(pluginsDir, problems)) {
      URLClassLoader loader;
      try {
        loader = new URLClassLoader("plugin:" + jar.getFileName(), new URL[] {jar.toUri().toURL()}, app);
      } catch (MalformedURLException e) {
        problems.add("plugin " + jar + ": " + e.getMessage());
        continue;
      }
      collect(loader, "plugin " + jar.getFileName(), jobs, extensions, sources, problems, errors);
    }
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
    return new Found(List.copyOf(jobs), List.copyOf(extensions), Map.copyOf(sources), List.copyOf(problems));
  }

  private static void collect(
      ClassLoader loader,
      String source,
      List<Job> jobs,
      List<Extension> extensions,
      Map<String, String> sources,
      List<String> problems,
      List<String> errors) {
    for (Job job : load(Job.class, loader, source, problems)) {
      addJob(job, source, jobs, sources, problems, errors);
    }
    for (Extension x : load(Extension.class, loader, source, problems)) {
      extensions.add(x);
      List<Job> contributed;
      try {
        contributed = x.jobs();
      } catch (RuntimeException | LinkageError e) {
        problems.add(source + ": extension " + x.getClass().getName() + " failed in jobs(): " + e);
        continue;
      }
      for (Job job : contributed) {
        addJob(job, source, jobs, sources, problems, errors);
      }
    }
  }

  private static void addJob(Job job, String source, List<Job> jobs, Map<String, String> sources,
      List<String> problems, List<String> errors) {
    String id;
    try {
      id = job.id();
    } catch (RuntimeException | LinkageError e) {
      problems.add(source + ": job " + job.getClass().getName() + " failed in id(): " + e);
      return;
    }
    if (id == null || !JOB_ID.matcher(id).matches()) {
      errors.add(source + ": job " + job.getClass().getName() + " has id '" + id
          + "'; ids are kebab-case such as 'nightly-backup'");
    } else if (sources.containsKey(id)) {
      errors.add("two jobs have the id '" + id + "': " + sources.get(id) + " and " + source
          + " (" + job.getClass().getName() + "); remove one of the jars or rename one job");
    } else {
      sources.put(id, source);
      jobs.add(job);
    }
  }

  /** Only the providers that this loader itself defines: a plugin loader also sees Pulse's own. */
  private static <T> List<T> load(Class<T> type, ClassLoader loader, String source, List<String> problems) {
    List<T> out = new ArrayList<>();
    Iterator<T> it = ServiceLoader.load(type, loader).iterator();
    while (true) {
      try {
        if (!it.hasNext()) {
          break;
        }
        T t = it.next();
        if (t.getClass().getClassLoader() == loader || !(loader instanceof URLClassLoader)) {
          out.add(t);
        }
      } catch (ServiceConfigurationError | LinkageError e) {
        problems.add(source + ": cannot load a " + type.getSimpleName() + " (" + rootMessage(e) + ")");
      }
    }
    return out;
  }

  private static List<Path> pluginJars(Path dir, List<String> problems) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted()
          .filter(p -> readableJar(p, problems)).toList();
    } catch (IOException e) {
      problems.add("plugins directory " + dir + " cannot be listed: " + e.getMessage());
      return List.of();
    }
  }

  /**
   * A URLClassLoader over an empty, corrupt or directory "jar" finds nothing and says nothing, so
   * the plugin would vanish silently: open each as a zip first and report what is wrong with it.
   */
  private static boolean readableJar(Path jar, List<String> problems) {
    if (Files.isDirectory(jar)) {
      problems.add("plugin " + jar + " is a directory, not a jar; remove it or put the jar there instead");
      return false;
    }
    try (java.util.jar.JarFile f = new java.util.jar.JarFile(jar.toFile())) {
      if (f.getEntry("META-INF/services/pulse.api.Job") == null && f.getEntry("META-INF/services/pulse.api.Extension") == null) {
        problems.add("plugin " + jar + " provides no job or extension (no META-INF/services/pulse.api.Job or pulse.api.Extension)");
      }
      return true;
    } catch (IOException e) {
      String why = safeSize(jar) == 0 ? "is empty" : "is not a jar (" + e.getMessage() + ")";
      problems.add("plugin " + jar + " " + why + "; rebuild or remove it");
      return false;
    }
  }

  private static long safeSize(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return -1;
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + ": " + t;
  }
}
