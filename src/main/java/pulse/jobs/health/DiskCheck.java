package pulse.jobs.health;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code disk:/path}: free space on the file system holding the path, as the user (not root) sees
 * it ({@link FileStore#getUsableSpace}). Percent and bytes minimums both apply when both are set;
 * with neither, at least 10 percent must be free.
 */
final class DiskCheck implements Check {
  private final CheckDefinition def;
  private final Path path;
  private final Optional<Double> minPercent;
  private final Optional<Long> minBytes;

  DiskCheck(CheckDefinition def) {
    this.def = def;
    this.path = Path.of(CheckKind.rest(def.value()));
    this.minBytes = def.option(CheckOption.MIN_FREE_BYTES).map(Sizes::parse);
    boolean percentApplies = def.isSet(CheckOption.MIN_FREE_PERCENT) || minBytes.isEmpty();
    this.minPercent = percentApplies ? def.option(CheckOption.MIN_FREE_PERCENT).map(Double::parseDouble) : Optional.empty();
  }

  @Override
  public CheckDefinition definition() {
    return def;
  }

  @Override
  public String probe() throws CheckFailedException, IOException {
    FileStore store;
    try {
      store = Files.getFileStore(path);
    } catch (NoSuchFileException e) {
      throw new CheckFailedException(path + " does not exist (is the disk mounted?)");
    }
    long usable = store.getUsableSpace();
    long total = store.getTotalSpace();
    double percent = total == 0 ? 0 : usable * 100.0 / total;
    String seen = path + " has " + Sizes.format(usable) + " free of " + Sizes.format(total)
        + String.format(Locale.ROOT, " (%.1f%%)", percent);
    if (minPercent.isPresent() && percent < minPercent.get()) {
      throw new CheckFailedException(seen + ", below " + def.key(CheckOption.MIN_FREE_PERCENT) + "="
          + def.option(CheckOption.MIN_FREE_PERCENT).orElseThrow());
    }
    if (minBytes.isPresent() && usable < minBytes.get()) {
      throw new CheckFailedException(seen + ", below " + def.key(CheckOption.MIN_FREE_BYTES) + "="
          + def.option(CheckOption.MIN_FREE_BYTES).orElseThrow());
    }
    return seen;
  }
}
