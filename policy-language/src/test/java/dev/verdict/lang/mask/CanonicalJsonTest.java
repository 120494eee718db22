package dev.verdict.lang.mask;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CanonicalJsonTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "{ 'b' : 1, 'a' : [ 1 , 2 ] }         | {\"a\":[1,2],\"b\":1}",
      "1.50                                 | 1.5",
      "15e-1                                | 1.5",
      "1e3                                  | 1000",
      "1.0                                  | 1",
      "-0.0                                 | 0",
      "-12                                  | -12",
      "123456789012345678901234567890       | 123456789012345678901234567890",
      "{'B': 1, 'a': 2, 'É': 3}             | {\"B\":1,\"a\":2,\"É\":3}",
      "[true, false, null]                  | [true,false,null]",
  })
  void writesOneTextPerValue(String json, String canonical) {
    assertThat(CanonicalJson.write(Json.parse(json))).isEqualTo(canonical);
  }

  @Test
  void escapesOnlyQuotesBackslashesAndControlCharacters() {
    JsonNode s = TextNode.valueOf("a\"b\\c\n\u0001é/<");
    assertThat(CanonicalJson.write(s)).isEqualTo("\"a\\\"b\\\\c\\n\\u0001é/<\"");
  }
}
