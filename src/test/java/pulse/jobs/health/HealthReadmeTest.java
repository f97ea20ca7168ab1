package pulse.jobs.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import pulse.api.Setting;

/** The README documents every health setting and every check option. */
class HealthReadmeTest {

  @Test
  void everySettingAndOptionIsDocumented() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    for (Setting s : new HealthExtension().settings()) {
      assertThat(readme).as("README documents %s", s.key()).contains("| `" + s.key() + "` |");
    }
    for (CheckOption o : CheckOption.values()) {
      assertThat(readme).as("README documents option %s", o).contains("| `" + o.suffix() + "` |");
    }
    for (String spec : new String[] {"`http://…`", "`tcp://host:port`", "`postgres://user@host:port/db", "`disk:/path`",
        "`cmd:program args…`", "`systemd:unit`", "`job:<job id>`"}) {
      assertThat(readme).as("README's spec table has %s", spec).contains("| " + spec);
    }
  }
}
