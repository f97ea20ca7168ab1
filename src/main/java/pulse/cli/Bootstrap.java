package pulse.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import pulse.config.ConfigLoader;
import pulse.config.EnvFileReader;
import pulse.config.EnvSources;
import pulse.config.PulseConfig;
import pulse.config.Redactor;
import pulse.core.Discovery;

/**
 * What every command needs first: the env file read, jobs and extensions discovered, the
 * configuration validated and the redactor installed.
 */
record Bootstrap(PulseConfig config, Discovery.Found found) {

  /**
   * @throws pulse.config.ConfigException for anything the user must fix
   */
  static Bootstrap load(Optional<Path> envFile, Map<String, String> processEnv) {
    EnvSources sources = EnvFileReader.read(envFile, processEnv);
    // Redact env-file values before anything else can log them, even if validation fails below.
    Redactor.install(new Redactor(sources.file().values()));
    Map<String, String> merged = sources.merged();
    Path state = ConfigLoader.stateDir(merged);
    Discovery.Found found = Discovery.discover(Bootstrap.class.getClassLoader(), ConfigLoader.pluginsDir(merged, state));
    PulseConfig config = ConfigLoader.load(sources, found.declaredSettings(), found.jobIds(), found.extensions());
    Redactor.install(config.redactor());
    return new Bootstrap(config, found);
  }
}
