package dev.verdict.lang.mask;

import static dev.verdict.lang.mask.ReadMaskTest.effect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;

import dev.verdict.lang.ast.FieldEffect;
import dev.verdict.lang.ast.FieldEffect.Kind;
import dev.verdict.lang.source.Span;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

class FieldMaskCodecTest {

  @Test
  void encodesInPathOrder() {
    ReadMask mask = ReadMask.of(Map.of("number", effect("partial(4)"), "holder.ssn", effect("hide"),
        "balance", effect("redact"), "items[].price", effect("hash")));
    assertThat(FieldMaskCodec.encode(mask))
        .isEqualTo("balance=redact;holder.ssn=hide;items[].price=hash;number=partial(4)");
    assertThat(FieldMaskCodec.encode(ReadMask.empty())).isEmpty();
    assertThat(FieldMaskCodec.encode(WriteMask.of(List.of("tenant", "owner")))).isEqualTo("owner=deny;tenant=deny");
  }

  @Test
  void decodesWhatItEncodes() {
    ReadMask mask = FieldMaskCodec.decodeRead("balance=redact;holder.ssn=hide;number=partial(4)");
    assertThat(mask.effects()).containsExactly(Map.entry("balance", effect("redact")),
        Map.entry("holder.ssn", effect("hide")), Map.entry("number", effect("partial(4)")));
    assertThat(FieldMaskCodec.decodeRead("  ")).isEqualTo(ReadMask.empty());
    assertThat(FieldMaskCodec.decodeRead(" b=hide;a=hash ")).isEqualTo(
        ReadMask.of(Map.of("a", effect("hash"), "b", effect("hide"))));
    assertThat(FieldMaskCodec.decodeWrite("owner=deny;items[].x=deny").denied())
        .containsExactly("items[].x", "owner");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "balance                         | field mask entry `balance` has no `=`",
      "balance=                        | `` is not a field effect",
      "balance=Hide                    | `Hide` is not a field effect",
      "balance=partial()               | `partial()` is not a field effect",
      "balance=partial(-1)             | `partial(-1)` is not a field effect",
      "balance=partial(12345678)       | `partial(12345678)` is not a field effect",
      "balance=partial(4               | `partial(4` is not a field effect",
      "balance=hide;                   | a field mask has an empty entry",
      ";balance=hide                   | a field mask has an empty entry",
      "a=hide;;b=hide                  | a field mask has an empty entry",
      "a=hide; b=hide                  | ` b` is not a field path",
      "a =hide                         | `a ` is not a field path",
      "a=hide;a=redact                 | field `a` appears twice in the field mask",
      "a=deny                          | a read mask holds no `deny`",
      "a\\;b=hide                      | field mask entry `a\\` has no `=`",
      "a=b=hide                        | `b=hide` is not a field effect",
  })
  void refusesMalformedText(String text, String message) {
    assertThatThrownBy(() -> FieldMaskCodec.decodeRead(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void writeMasksHoldOnlyDeny() {
    assertThatThrownBy(() -> FieldMaskCodec.decodeWrite("a=hide"))
        .hasMessage("a write mask holds only `deny`, not `hide`");
  }

  @Test
  void decodingIsBounded() {
    assertThatThrownBy(() -> FieldMaskCodec.decodeRead("a".repeat(FieldMaskCodec.MAX_LENGTH + 1)))
        .hasMessage("a field mask is at most 8192 characters");
    StringBuilder many = new StringBuilder();
    for (int i = 0; i <= FieldMaskCodec.MAX_ENTRIES; i++) {
      many.append(i == 0 ? "" : ";").append("f").append(i).append("=hide");
    }
    assertThatThrownBy(() -> FieldMaskCodec.decodeRead(many.toString()))
        .hasMessage("a field mask has at most 256 entries");
    String atBound = many.substring(0, many.lastIndexOf(";"));
    assertThat(FieldMaskCodec.decodeRead(atBound).effects()).hasSize(256);
  }

  private static Gen<String> names() {
    return Generate.pick(List.of("a", "b", "holder", "ssn", "items", "price", "x_1", "Z", "_"));
  }

  private static Gen<String> paths() {
    Gen<String> segment = names().zip(SourceDSL.booleans().all(), (n, list) -> list ? n + "[]" : n);
    return SourceDSL.lists().of(segment).ofSizeBetween(1, 4).map(l -> String.join(".", l));
  }

  private static Gen<FieldEffect> effects() {
    Gen<FieldEffect> plain = Generate.pick(List.of(Kind.HIDE, Kind.REDACT, Kind.HASH)).map(FieldEffect::of);
    Gen<FieldEffect> partial = SourceDSL.integers().between(0, ReadMask.MAX_PARTIAL_KEEP)
        .map(n -> new FieldEffect(Kind.PARTIAL, n, Span.NONE));
    return plain.mix(partial, 40);
  }

  private static Gen<ReadMask> masks() {
    return SourceDSL.lists().of(paths().zip(effects(), Map::entry)).ofSizeBetween(0, 12).map(entries -> {
      Map<String, FieldEffect> m = new HashMap<>();
      entries.forEach(e -> m.merge(e.getKey(), e.getValue(), ReadMask::stricter));
      return ReadMask.of(m);
    });
  }

  @Test
  void readMasksRoundTrip() {
    qt().withExamples(5_000).forAll(masks()).checkAssert(mask -> {
      String text = FieldMaskCodec.encode(mask);
      assertThat(FieldMaskCodec.decodeRead(text)).isEqualTo(mask);
      assertThat(FieldMaskCodec.encode(FieldMaskCodec.decodeRead(text))).isEqualTo(text);
    });
  }

  @Test
  void writeMasksRoundTrip() {
    qt().withExamples(2_000).forAll(SourceDSL.lists().of(paths()).ofSizeBetween(0, 12)).checkAssert(paths -> {
      WriteMask mask = WriteMask.of(paths);
      assertThat(FieldMaskCodec.decodeWrite(FieldMaskCodec.encode(mask))).isEqualTo(mask);
    });
  }

  @Test
  void mergeIsCommutativeAndAssociative() {
    qt().withExamples(2_000).forAll(masks(), masks(), masks()).checkAssert((a, b, c) -> {
      assertThat(a.merge(b)).isEqualTo(b.merge(a));
      assertThat(a.merge(b).merge(c)).isEqualTo(a.merge(b.merge(c)));
      assertThat(a.merge(a)).isEqualTo(a);
    });
  }

  @Test
  void decodingArbitraryTextNeverFailsOtherwise() {
    qt().withExamples(10_000).forAll(SourceDSL.strings().allPossible().ofLengthBetween(0, 60)
        .mix(masks().map(FieldMaskCodec::encode).map(s -> s.replace('a', ';')), 50))
        .checkAssert(text -> {
          try {
            assertThat(FieldMaskCodec.decodeRead(text)).isNotNull();
          } catch (IllegalArgumentException expected) {
            assertThat(expected.getMessage()).isNotBlank();
          }
        });
  }
}
