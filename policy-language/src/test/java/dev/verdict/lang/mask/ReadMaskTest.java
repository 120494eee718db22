package dev.verdict.lang.mask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verdict.lang.ast.FieldEffect;
import dev.verdict.lang.ast.FieldEffect.Kind;
import dev.verdict.lang.ast.FieldPath;
import dev.verdict.lang.source.Span;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReadMaskTest {

  static FieldEffect effect(String text) {
    if (text.startsWith("partial(")) {
      return new FieldEffect(Kind.PARTIAL, Integer.parseInt(text.substring(8, text.length() - 1)), Span.NONE);
    }
    return FieldEffect.of(Kind.valueOf(text.toUpperCase()));
  }

  @ParameterizedTest(name = "{0} + {1} = {2}")
  @CsvSource({
      "hide,       redact,     hide",
      "redact,     hide,       hide",
      "hide,       hash,       hide",
      "hide,       partial(4), hide",
      "redact,     hash,       redact",
      "partial(4), redact,     redact",
      "hash,       partial(4), hash",
      "partial(2), hash,       hash",
      "partial(4), partial(2), partial(2)",
      "partial(2), partial(4), partial(2)",
      "partial(0), partial(9), partial(0)",
      "redact,     redact,     redact",
  })
  void theStrictestEffectWins(String a, String b, String expected) {
    ReadMask left = ReadMask.of(Map.of("f", effect(a)));
    ReadMask right = ReadMask.of(Map.of("f", effect(b)));
    assertThat(left.merge(right).effect("f")).contains(effect(expected));
    assertThat(right.merge(left).effect("f")).contains(effect(expected));
  }

  @Test
  void mergingKeepsPathsOfBoth() {
    ReadMask a = ReadMask.of(Map.of("balance", effect("redact"), "holder.ssn", effect("hash")));
    ReadMask b = ReadMask.of(Map.of("holder.ssn", effect("hide"), "number", effect("partial(4)")));
    ReadMask merged = a.merge(b);
    assertThat(merged.effects()).containsExactly(
        Map.entry("balance", effect("redact")),
        Map.entry("holder.ssn", effect("hide")),
        Map.entry("number", effect("partial(4)")));
    assertThat(a.effects()).hasSize(2);
    assertThat(merged.merge(ReadMask.empty())).isSameAs(merged);
    assertThat(ReadMask.empty().merge(merged)).isSameAs(merged);
  }

  @Test
  void withAddsOnePathByTextOrAst() {
    FieldPath path = new FieldPath(List.of(new FieldPath.Segment("items", true),
        new FieldPath.Segment("price", false)), Span.NONE);
    ReadMask m = ReadMask.empty().with(path, effect("redact")).with("items[].price", effect("hide"));
    assertThat(m.effects()).containsExactly(Map.entry("items[].price", effect("hide")));
  }

  @Test
  void ancestorsSortBeforeDescendants() {
    ReadMask m = ReadMask.of(Map.of("holder.ssn", effect("hide"), "holder", effect("hash"),
        "items[].x", effect("hide"), "items", effect("hide"), "items[]", effect("hide"), "a_b", effect("hide")));
    assertThat(m.effects().keySet()).containsExactly("a_b", "holder", "holder.ssn", "items", "items[]", "items[].x");
  }

  @Test
  void spansDoNotMatterAndEffectsAreNormalised() {
    FieldEffect placed = new FieldEffect(Kind.REDACT, 7, Span.at("a.verdict", 3, 4));
    ReadMask m = ReadMask.of(Map.of("balance", placed));
    assertThat(m.effect("balance").orElseThrow().keep()).isZero();
    assertThat(m).isEqualTo(ReadMask.of(Map.of("balance", effect("redact"))));
    assertThat(m.hashCode()).isEqualTo(ReadMask.of(Map.of("balance", effect("redact"))).hashCode());
    assertThat(m.toString()).isEqualTo("balance=redact");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "''            | a field path is not empty",
      "holder.       | `holder.` is not a field path",
      ".holder       | `.holder` is not a field path",
      "holder..ssn   | `holder..ssn` is not a field path",
      "items[]x      | `items[]x` is not a field path",
      "items[        | `items[` is not a field path",
      "1abc          | `1abc` is not a field path",
      "a-b           | `a-b` is not a field path",
      "a;b           | `a;b` is not a field path",
      "a=b           | `a=b` is not a field path",
      "a b           | `a b` is not a field path",
  })
  void refusesTextThatIsNotAFieldPath(String path, String message) {
    assertThatThrownBy(() -> ReadMask.of(Map.of(path, effect("hide"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void refusesDenyAndUnreasonablePartials() {
    assertThatThrownBy(() -> ReadMask.of(Map.of("a", effect("deny"))))
        .hasMessage("`deny` is not an effect of a read mask");
    assertThatThrownBy(() -> ReadMask.of(Map.of("a", effect("partial(-1)"))))
        .hasMessage("`partial(-1)` keeps between 0 and 1000000 characters");
    assertThatThrownBy(() -> ReadMask.of(Map.of("a".repeat(513), effect("hide"))))
        .hasMessage("a field path is at most 512 characters");
    assertThatThrownBy(() -> ReadMask.of(Map.of("a.".repeat(32) + "a", effect("hide"))))
        .hasMessage("a field path has at most 32 segments");
  }
}
