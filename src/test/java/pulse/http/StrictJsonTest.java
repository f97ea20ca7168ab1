package pulse.http;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import pulse.api.ApiException;

class StrictJsonTest {
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void oneObjectInUtf8Passes() {
    assertThatCode(() -> StrictJson.check(utf8("{\"prompt\":\"héllo 🙂\",\"tags\":[\"a\",{\"b\":1}]}"))).doesNotThrowAnyException();
    assertThatCode(() -> StrictJson.check(utf8(" {\"a\":\"\\ud83d\\ude42\"}\n"))).doesNotThrowAnyException();
  }

  @Test
  void trailingDataDuplicateKeysBomUtf16AndLoneSurrogatesAre400() {
    String[][] cases = {
        {"{\"prompt\":\"x\"} garbage", "not valid JSON"},
        {"{\"prompt\":\"x\"}{\"prompt\":\"y\"}", "more after the JSON value"},
        {"{\"prompt\":\"x\",\"prompt\":\"y\"}", "Duplicate field 'prompt'"},
        {"{\"prompt\":\"\\ud800\"}", "lone UTF-16 surrogate"},
        {"{\"\\udc00\":\"x\"}", "lone UTF-16 surrogate"},
        {"", "empty"},
    };
    for (String[] c : cases) {
      assertThatThrownBy(() -> StrictJson.check(utf8(c[0]))).as(c[0]).isInstanceOf(ApiException.class)
          .hasMessageContaining(c[1]).hasMessageContaining("UTF-8")
          .satisfies(e -> org.assertj.core.api.Assertions.assertThat(((ApiException) e).status()).isEqualTo(400));
    }
    byte[] bom = utf8("\uFEFF{\"prompt\":\"x\"}");
    assertThatThrownBy(() -> StrictJson.check(bom)).hasMessageContaining("byte-order mark");
    byte[] utf16 = "{\"prompt\":\"x\"}".getBytes(StandardCharsets.UTF_16LE);
    assertThatThrownBy(() -> StrictJson.check(utf16)).hasMessageContaining("UTF-16");
    byte[] latin1 = "{\"prompt\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> StrictJson.check(latin1)).hasMessageContaining("not valid UTF-8");
  }
}
