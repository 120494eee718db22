package dev.verdict.lang.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouteTemplateTest {

  @Test
  void parsesLiteralsAndParameters() {
    RouteTemplate t = RouteTemplate.parse("/accounts/{id}/cards/{card}");
    assertThat(t.paramNames()).containsExactly("id", "card");
    assertThat(t.shape()).isEqualTo("/accounts/{}/cards/{}");
    assertThat(t.text()).isEqualTo("/accounts/{id}/cards/{card}");
    assertThat(t).isEqualTo(RouteTemplate.parse("/accounts/{id}/cards/{card}"));
  }

  @Test
  void theRootHasNoSegments() {
    RouteTemplate t = RouteTemplate.parse("/");
    assertThat(t.paramNames()).isEmpty();
    assertThat(t.shape()).isEqualTo("/");
  }

  @Test
  void shapesEraseParameterNamesOnly() {
    assertThat(RouteTemplate.parse("/a/{x}").shape()).isEqualTo(RouteTemplate.parse("/a/{y}").shape());
    assertThat(RouteTemplate.parse("/a/{x}").shape()).isNotEqualTo(RouteTemplate.parse("/a/b").shape());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "accounts          | does not start with `/`",
      "''                | is empty",
      "/accounts/        | ends with `/`",
      "/accounts//x      | has an empty segment",
      "/a/../b           | has a `..` segment",
      "/a/./b            | has a `.` segment",
      "/a/{id            | route parameter must be a whole segment",
      "/a/x{id}          | route parameter must be a whole segment",
      "/a/{id}x          | route parameter must be a whole segment",
      "/a/{}             | route parameter has no name",
      "/a/{1x}           | route parameter `{1x}` has an invalid name",
      "/a/{a-b}          | route parameter `{a-b}` has an invalid name",
      "/a/{x}/{x}        | route parameter `x` appears twice",
      "/a b              | contains a space or control character",
      "/a;b              | would have to percent-encode: `;`",
      "/a%20b            | would have to percent-encode: `%`",
      "/caf\u00e9        | would have to percent-encode",
  })
  void refusesMalformedTemplates(String template, String message) {
    assertThatThrownBy(() -> RouteTemplate.parse(template))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void boundsTheSegmentCount() {
    assertThat(RouteTemplate.parse("/a".repeat(64)).paramNames()).isEmpty();
    assertThatThrownBy(() -> RouteTemplate.parse("/a".repeat(65)))
        .hasMessageContaining("has more than 64 segments");
  }
}
