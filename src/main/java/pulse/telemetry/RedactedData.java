package pulse.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributeType;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.util.List;
import pulse.config.Redactor;

/** Secrets masked in attribute values, the last line of defence before anything leaves the process. */
final class RedactedData {
  private RedactedData() {}

  static String text(String s) {
    return Redactor.redactText(s);
  }

  @SuppressWarnings("unchecked")
  static Attributes attributes(Attributes in) {
    if (in.isEmpty()) {
      return in;
    }
    AttributesBuilder out = Attributes.builder();
    in.forEach((key, value) -> {
      if (key.getType() == AttributeType.STRING) {
        out.put((AttributeKey<String>) key, text((String) value));
      } else if (key.getType() == AttributeType.STRING_ARRAY) {
        out.put((AttributeKey<List<String>>) key, ((List<String>) value).stream().map(RedactedData::text).toList());
      } else {
        out.put((AttributeKey<Object>) key, value);
      }
    });
    return out.build();
  }
}
