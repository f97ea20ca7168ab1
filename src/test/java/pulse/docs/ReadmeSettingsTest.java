package pulse.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import pulse.api.Setting;
import pulse.config.CoreSettings;

/** The README's settings table is the manual: every setting the code knows must be in it. */
class ReadmeSettingsTest {

  @Test
  void everyCoreSettingIsDocumented() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    for (Setting s : CoreSettings.ALL) {
      assertThat(readme).as("README documents %s", s.key()).contains("| `" + s.key() + "` |");
    }
  }

  @Test
  void theReadmeStartsWithTheTwoCommands() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    int run = readme.indexOf("java -jar target/pulse.jar daemon");
    int test = readme.indexOf("./mvnw verify");
    assertThat(run).isPositive().isLessThan(test);
    assertThat(readme.indexOf("## ")).isGreaterThan(test);
  }
}
