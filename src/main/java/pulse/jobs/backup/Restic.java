package pulse.jobs.backup;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import pulse.api.Settings;
import pulse.jobs.shared.Subprocess;

/**
 * Builds restic command lines: the binary from the settings, and an environment that carries the
 * repository, the password and the backend credentials. Values from the env file are not in Pulse's
 * own environment, so they are passed explicitly; none of them is ever logged.
 */
final class Restic {
  /** The variables restic 0.14 and its backends read (restic's "Environment Variables" docs). */
  static final List<String> PASSTHROUGH = List.of(
      "RESTIC_PASSWORD_COMMAND", "RESTIC_KEY_HINT", "RESTIC_CACHE_DIR", "RESTIC_COMPRESSION", "RESTIC_PACK_SIZE",
      "RESTIC_PROGRESS_FPS", "TMPDIR",
      "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_DEFAULT_REGION", "AWS_PROFILE",
      "AWS_SHARED_CREDENTIALS_FILE",
      "B2_ACCOUNT_ID", "B2_ACCOUNT_KEY",
      "AZURE_ACCOUNT_NAME", "AZURE_ACCOUNT_KEY", "AZURE_ACCOUNT_SAS", "AZURE_ENDPOINT_SUFFIX",
      "GOOGLE_PROJECT_ID", "GOOGLE_APPLICATION_CREDENTIALS", "GOOGLE_ACCESS_TOKEN",
      "ST_AUTH", "ST_USER", "ST_KEY",
      "OS_AUTH_URL", "OS_REGION_NAME", "OS_USERNAME", "OS_USER_ID", "OS_PASSWORD", "OS_TENANT_ID", "OS_TENANT_NAME",
      "OS_USER_DOMAIN_NAME", "OS_USER_DOMAIN_ID", "OS_PROJECT_NAME", "OS_PROJECT_DOMAIN_NAME", "OS_PROJECT_DOMAIN_ID",
      "OS_TRUST_ID", "OS_APPLICATION_CREDENTIAL_ID", "OS_APPLICATION_CREDENTIAL_NAME",
      "OS_APPLICATION_CREDENTIAL_SECRET", "OS_STORAGE_URL", "OS_AUTH_TOKEN",
      "RCLONE_BWLIMIT");

  private final Settings settings;

  Restic(Settings settings) {
    this.settings = settings;
  }

  String binary() {
    return settings.get(BackupSettings.RESTIC_BINARY, BackupSettings.DEFAULT_RESTIC_BINARY);
  }

  /** A restic command with these arguments, ready for the caller to add output consumers. */
  Subprocess command(List<String> args) {
    List<String> argv = new ArrayList<>();
    argv.add(binary());
    argv.addAll(args);
    return Subprocess.of(argv).env(environment());
  }

  Subprocess command(String... args) {
    return command(List.of(args));
  }

  /** The environment added to Pulse's own for restic. */
  Map<String, String> environment() {
    Map<String, String> env = new HashMap<>();
    BackupSettings.repository(settings).ifPresent(r -> env.put(BackupSettings.RESTIC_REPOSITORY, r));
    settings.get(BackupSettings.RESTIC_PASSWORD).ifPresent(p -> env.put(BackupSettings.RESTIC_PASSWORD, p));
    settings.get(BackupSettings.RESTIC_PASSWORD_FILE).ifPresent(p -> env.put(BackupSettings.RESTIC_PASSWORD_FILE, p));
    for (String key : PASSTHROUGH) {
      settings.get(key).ifPresent(v -> env.put(key, v));
    }
    return env;
  }
}
