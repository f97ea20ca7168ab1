package pulse.jobs.prompt;

import pulse.jobs.shared.CommandLineWords;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import pulse.api.Setting;

/** Every setting of the prompt family is in the README's table, and its defaults are valid. */
class PromptSettingsDocumentedTest {

  @Test
  void everyPromptSettingIsInTheReadme() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    for (Setting s : PromptSettings.ALL) {
      assertThat(readme).as("README documents %s", s.key()).contains("| `" + s.key() + "` |");
    }
  }

  @Test
  void theDefaultsPassValidationAndTheDefaultCommandSplitsIntoWords() {
    assertThat(PromptSettings.validate(PromptTesting.settings(java.util.Map.of()))).isEmpty();
    assertThat(ExecutorConfig.from(PromptTesting.settings(java.util.Map.of())).command()).containsExactly("hapi", "run", "--text");
    assertThat(CommandLineWords.split("'/opt/my agent/run' --text \"a b\"")).containsExactly("/opt/my agent/run", "--text", "a b");
    assertThat(PromptSettings.validate(PromptTesting.settings(java.util.Map.of(PromptSettings.COMMAND, "run 'oops"))))
        .anyMatch(p -> p.contains("unclosed ' quote"));
    assertThat(PromptSettings.validate(PromptTesting.settings(java.util.Map.of(PromptSettings.MAX_CONCURRENT, "0"))))
        .anyMatch(p -> p.startsWith("PULSE_MAX_CONCURRENT=0 is out of range"));
  }
}
