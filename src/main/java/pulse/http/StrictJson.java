package pulse.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import pulse.api.ApiException;

/**
 * Every request body the API takes is one JSON value in UTF-8, checked here once for all routes
 * before any handler parses it its own way: trailing data ({@code {..} garbage}, {@code {..}{..}}),
 * duplicate keys, a byte-order mark, UTF-16/32 and lone surrogates are refused, because a lenient
 * reader stores something other than what the client meant and another reader of the same bytes
 * (a proxy, an audit log) may see something else again.
 */
final class StrictJson {
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();
  private static final String FIX = "; send one JSON object in UTF-8, such as {\"prompt\": \"...\"}";

  private StrictJson() {}

  /** @throws ApiException 400 saying what is wrong with the body */
  static void check(byte[] body) {
    if (body.length >= 3 && (body[0] & 0xff) == 0xef && (body[1] & 0xff) == 0xbb && (body[2] & 0xff) == 0xbf) {
      throw bad("the body starts with a byte-order mark");
    }
    if (body.length >= 2 && (body[0] == 0 || body[1] == 0 || (body[0] & 0xff) == 0xfe || (body[0] & 0xff) == 0xff)) {
      throw bad("the body is UTF-16 or UTF-32, not UTF-8");
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
    } catch (CharacterCodingException e) {
      throw bad("the body is not valid UTF-8");
    }
    try (JsonParser p = FACTORY.createParser(text)) {
      if (p.nextToken() == null) {
        throw bad("the body is empty");
      }
      int depth = 0;
      do {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
          depth++;
        } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
          depth--;
        } else if ((t == JsonToken.VALUE_STRING || t == JsonToken.FIELD_NAME) && hasLoneSurrogate(p.getText())) {
          throw bad("a string holds a lone UTF-16 surrogate (" + where(p) + "), which is no character");
        }
      } while (depth > 0 && p.nextToken() != null);
      if (p.nextToken() != null) {
        throw bad("there is more after the JSON value (" + where(p) + ")");
      }
    } catch (JsonProcessingException e) {
      throw bad("the body is not valid JSON: " + e.getOriginalMessage() + " (" + where(e) + ")");
    } catch (IOException e) {
      throw bad("the body could not be read: " + e.getMessage());
    }
  }

  private static boolean hasLoneSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  private static String where(JsonParser p) {
    return "line " + p.currentTokenLocation().getLineNr() + ", column " + p.currentTokenLocation().getColumnNr();
  }

  private static String where(JsonProcessingException e) {
    return e.getLocation() == null ? "somewhere" : "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
  }

  private static ApiException bad(String what) {
    return ApiException.badRequest(null, what + FIX);
  }
}
