package pulse.config;

import io.github.cdimascio.dotenv.Dotenv;
import io.github.cdimascio.dotenv.DotenvEntry;
import io.github.cdimascio.dotenv.DotenvException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the env file with dotenv-java: the {@code --env-file} flag, else {@code PULSE_ENV_FILE}, else
 * {@code .env} in the working directory. A file named explicitly must exist; the default may not. A
 * file that group or others can read is refused, because it holds secrets.
 */
public final class EnvFileReader {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(EnvFileReader.class);
  /**
   * A few hundred settings are a few KiB; a 10 MB file of 330k keys took start-up from 2 s to 7 s
   * and 500 MB of memory, so the file is refused past this.
   */
  static final long MAX_ENV_FILE_BYTES = 1024 * 1024;
  private static final java.util.regex.Pattern KEY_LINE =
      java.util.regex.Pattern.compile("^\\s*(?:export\\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\\s*=");

  private EnvFileReader() {}

  public static EnvSources read(Optional<Path> flag, Map<String, String> processEnv) {
    Optional<Path> named =
        flag.or(() -> Optional.ofNullable(processEnv.get(CoreSettings.ENV_FILE)).filter(s -> !s.isBlank()).map(Path::of));
    Path path = named.orElse(Path.of(CoreSettings.DEFAULT_ENV_FILE)).toAbsolutePath();
    if (!Files.exists(path)) {
      if (named.isPresent()) {
        String source = flag.isPresent() ? "--env-file" : CoreSettings.ENV_FILE;
        throw new ConfigException(
            source + "=" + named.get() + ": no such file; create it (chmod 600) or drop " + source);
      }
      return new EnvSources(Map.of(), processEnv, Optional.empty());
    }
    if (!Files.isReadable(path) || Files.isDirectory(path)) {
      throw new ConfigException(
          "env file " + path + " cannot be read by this user; fix its owner or mode (chmod 600)");
    }
    Map<String, String> entries = parse(path);
    checkPermissions(path, entries, processEnv);
    return new EnvSources(entries, processEnv, Optional.of(path));
  }

  private static Map<String, String> parse(Path path) {
    try {
      long size = Files.size(path);
      if (size > MAX_ENV_FILE_BYTES) {
        throw new ConfigException("env file " + path + " is " + size + " bytes; at most " + MAX_ENV_FILE_BYTES
            + " are read. Keep settings in it, not data");
      }
      warnOfDuplicates(path);
    } catch (IOException e) {
      throw new ConfigException("env file " + path + " cannot be read (" + e.getMessage() + "); fix its owner or mode (chmod 600)");
    }
    try {
      Dotenv dotenv =
          Dotenv.configure()
              .directory(path.getParent().toString())
              .filename(path.getFileName().toString())
              .load();
      Map<String, String> out = new HashMap<>();
      for (DotenvEntry e : dotenv.entries(Dotenv.Filter.DECLARED_IN_ENV_FILE)) {
        out.put(e.getKey(), e.getValue());
      }
      return out;
    } catch (DotenvException e) {
      // dotenv-java's message quotes the bad line, which may hold a secret: name the file only.
      throw new ConfigException(
          "env file " + path + " has a line that is not KEY=value; fix the line (quote values with spaces)");
    }
  }

  /** dotenv-java keeps the last of two lines with one key, silently: say so, naming both lines (never the values). */
  private static void warnOfDuplicates(Path path) throws IOException {
    Map<String, Integer> first = new HashMap<>();
    int n = 0;
    for (String line : Files.readAllLines(path, java.nio.charset.StandardCharsets.ISO_8859_1)) {
      n++;
      java.util.regex.Matcher m = KEY_LINE.matcher(line);
      if (m.find()) {
        Integer before = first.putIfAbsent(m.group(1), n);
        if (before != null) {
          log.warn("env file {}: {} is set on line {} and again on line {}; the later line wins. Remove one", path, m.group(1), before, n);
        }
      }
    }
  }

  private static void checkPermissions(Path path, Map<String, String> file, Map<String, String> env) {
    Set<PosixFilePermission> perms;
    try {
      perms = Files.getPosixFilePermissions(path);
    } catch (UnsupportedOperationException | IOException e) {
      return; // not a POSIX file system: nothing to check
    }
    boolean exposed =
        perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ);
    if (!exposed) {
      return;
    }
    String allow = env.getOrDefault(CoreSettings.ALLOW_INSECURE_ENV_FILE, file.get(CoreSettings.ALLOW_INSECURE_ENV_FILE));
    if ("true".equalsIgnoreCase(allow == null ? "" : allow.trim())) {
      return;
    }
    throw new ConfigException(
        "env file "
            + path
            + " is readable by group or others and holds secrets; run: chmod 600 "
            + path
            + " (or set "
            + CoreSettings.ALLOW_INSECURE_ENV_FILE
            + "=true to accept it)");
  }
}
