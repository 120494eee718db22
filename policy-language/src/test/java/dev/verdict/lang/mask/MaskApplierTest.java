package dev.verdict.lang.mask;

import static dev.verdict.lang.mask.ReadMaskTest.effect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MaskApplierTest {

  private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final MaskApplier APPLIER = MaskApplier.create(KEY);

  private static final String ACCOUNT = """
      {'id': 'a1', 'number': '4111111111111234', 'balance': 1234.50,
       'holder': {'name': 'Alice', 'ssn': '123-45-6789', 'email': 'alice@example.com'},
       'items': [{'sku': 'x', 'price': 10}, {'sku': 'y', 'price': 20}, {'sku': 'z'}],
       'tags': ['vip', 'new'], 'note': null}
      """;

  private static JsonNode apply(String json, String... pathsAndEffects) {
    Map<String, dev.verdict.lang.ast.FieldEffect> effects = new LinkedHashMap<>();
    for (int i = 0; i < pathsAndEffects.length; i += 2) {
      effects.put(pathsAndEffects[i], effect(pathsAndEffects[i + 1]));
    }
    return APPLIER.apply(ReadMask.of(effects), Json.parse(json));
  }

  @Test
  void hideRemovesTheField() {
    JsonNode out = apply(ACCOUNT, "holder.ssn", "hide");
    assertThat(out.get("holder").has("ssn")).isFalse();
    assertThat(out.get("holder").get("name").asText()).isEqualTo("Alice");
  }

  @Test
  void redactReplacesAnyValueWithTheMarker() {
    JsonNode out = apply(ACCOUNT, "balance", "redact", "holder", "redact", "note", "redact");
    assertThat(out.get("balance").asText()).isEqualTo("[REDACTED]").isEqualTo(MaskApplier.REDACTED);
    assertThat(out.get("holder").isTextual()).isTrue();
    assertThat(out.get("holder").asText()).isEqualTo("[REDACTED]");
    assertThat(out.get("note").asText()).isEqualTo("[REDACTED]");
  }

  @Test
  void partialKeepsTheLastCharacters() {
    JsonNode out = apply(ACCOUNT, "number", "partial(4)");
    assertThat(out.get("number").asText()).isEqualTo("************1234");
  }

  @Test
  void partialTurnsOtherValuesIntoStringsButLeavesNull() {
    JsonNode out = apply("{'n': 1234.50, 'i': 987654, 'b': true, 'o': {'b': 2, 'a': 1}, 'z': null, 's': 'ab', 'e': ''}",
        "n", "partial(2)", "i", "partial(2)", "b", "partial(1)", "o", "partial(3)", "z", "partial(2)",
        "s", "partial(4)", "e", "partial(1)");
    assertThat(out.get("n").textValue()).isEqualTo("****.5");
    assertThat(out.get("i").textValue()).isEqualTo("****54");
    assertThat(out.get("b").textValue()).isEqualTo("***e");
    assertThat(out.get("o").textValue()).isEqualTo("*".repeat(10) + ":2}"); // {"a":1,"b":2}
    assertThat(out.get("z").isNull()).isTrue();
    assertThat(out.get("s").textValue()).isEqualTo("ab");
    assertThat(out.get("e").textValue()).isEmpty();
  }

  @Test
  void partialCountsCharactersNotUtf16Units() {
    assertThat(MaskApplier.partial("a😀b€c", 2)).isEqualTo("***€c");
    assertThat(MaskApplier.partial("😀😀😀", 1)).isEqualTo("**😀");
    assertThat(MaskApplier.partial("secret", 0)).isEqualTo("******");
  }

  @Test
  void hashIsAKeyedDigestOfTheCanonicalJson() {
    JsonNode out = apply(ACCOUNT, "holder.ssn", "hash");
    // HMAC-SHA256 of "\"123-45-6789\"" under KEY, computed independently.
    assertThat(out.get("holder").get("ssn").asText())
        .isEqualTo("sha256:8dff1f790dce05f4ec830950f8d29d1340c6f6e18df15dab3a771ada032e01d1");
    JsonNode obj = apply("{'v': {'b': [true, null, 'x'], 'a': 1.0}}", "v", "hash");
    assertThat(obj.get("v").asText())
        .isEqualTo("sha256:4c3fbeac6c16066729f24e84e7461e53e89cc3c07be53e541cbe19dbe0464d4b");
  }

  @Test
  void hashIsStableAcrossAppliersAndFormattingButDependsOnTheKey() {
    String a = apply("{'v': 1.50}", "v", "hash").get("v").asText();
    String sameKey = MaskApplier.create(KEY.clone()).apply(ReadMask.of(Map.of("v", effect("hash"))),
        Json.parse("{'v': 15e-1}")).get("v").asText();
    assertThat(sameKey).isEqualTo(a)
        .isEqualTo("sha256:bb2dbd3a92bc6f39410d6ba9cdf158dca392f8d092a03166217018843f16025f");
    byte[] otherKey = KEY.clone();
    otherKey[0] ^= 1;
    String other = MaskApplier.create(otherKey).apply(ReadMask.of(Map.of("v", effect("hash"))),
        Json.parse("{'v': 1.5}")).get("v").asText();
    assertThat(other).startsWith(MaskApplier.HASH_PREFIX).hasSize(71).isNotEqualTo(a);
    assertThat(apply("{'v': '1.5'}", "v", "hash").get("v").asText()).isNotEqualTo(a);
  }

  @Test
  void listPathsApplyToEveryElement() {
    JsonNode out = apply(ACCOUNT, "items[].price", "redact");
    assertThat(out.get("items").get(0).get("price").asText()).isEqualTo("[REDACTED]");
    assertThat(out.get("items").get(1).get("price").asText()).isEqualTo("[REDACTED]");
    assertThat(out.get("items").get(2).has("price")).isFalse();
    assertThat(out.get("items").get(0).get("sku").asText()).isEqualTo("x");
  }

  @Test
  void aTrailingListMarkerAppliesToEachElement() {
    assertThat(apply(ACCOUNT, "tags[]", "partial(1)").get("tags").toString()).isEqualTo("[\"**p\",\"**w\"]");
    assertThat(apply(ACCOUNT, "tags[]", "hide").get("tags").toString()).isEqualTo("[]");
    assertThat(apply(ACCOUNT, "tags", "hide").has("tags")).isFalse();
    assertThat(apply(ACCOUNT, "tags", "redact").get("tags").asText()).isEqualTo("[REDACTED]");
  }

  @Test
  void nestedListsAndObjectsCombine() {
    String doc = "{'orders': [{'lines': [{'card': {'pan': '4111222233334444'}}, {'card': {'pan': '5500'}}]}]}";
    JsonNode out = apply(doc, "orders[].lines[].card.pan", "partial(4)");
    assertThat(out.at("/orders/0/lines/0/card/pan").asText()).isEqualTo("************4444");
    assertThat(out.at("/orders/0/lines/1/card/pan").asText()).isEqualTo("5500");
  }

  @Test
  void anArrayWhereAnObjectWasExpectedIsMaskedElementByElement() {
    JsonNode out = apply("{'holder': [{'ssn': '1'}, {'ssn': '2'}]}", "holder.ssn", "hide");
    assertThat(out.toString()).isEqualTo("{\"holder\":[{},{}]}");
    JsonNode list = apply("[{'ssn': '1', 'a': 1}, {'ssn': '2'}]", "ssn", "redact");
    assertThat(list.toString()).isEqualTo("[{\"ssn\":\"[REDACTED]\",\"a\":1},{\"ssn\":\"[REDACTED]\"}]");
  }

  @Test
  void missingPathsAndScalarsOnTheWayAreIgnored() {
    JsonNode input = Json.parse(ACCOUNT);
    JsonNode out = apply(ACCOUNT, "missing", "hide", "holder.missing.deeper", "redact", "id.x", "hide",
        "items[].sku.y", "hide");
    assertThat(out).isEqualTo(input);
  }

  @Test
  void anAncestorEffectAppliesFirst() {
    JsonNode out = apply(ACCOUNT, "holder", "partial(5)", "holder.ssn", "hide");
    // The whole holder became one string (its canonical text, members sorted) before
    // `holder.ssn` was looked for, so the hide found nothing left to do.
    assertThat(out.get("holder").asText()).matches("\\*+789\"}");
    JsonNode hidden = apply(ACCOUNT, "holder", "hide", "holder.ssn", "redact");
    assertThat(hidden.has("holder")).isFalse();
  }

  @Test
  void theInputIsNeverChanged() {
    JsonNode input = Json.parse(ACCOUNT);
    JsonNode before = input.deepCopy();
    JsonNode out = APPLIER.apply(ReadMask.of(Map.of("holder.ssn", effect("hide"), "balance", effect("redact"),
        "items[].price", effect("hash"), "tags[]", effect("hide"), "number", effect("partial(4)"))), input);
    assertThat(input).isEqualTo(before);
    assertThat(out).isNotEqualTo(input);
    ((ObjectNode) out.get("holder")).put("name", "changed");
    assertThat(input.get("holder").get("name").asText()).isEqualTo("Alice");
    JsonNode unmasked = APPLIER.apply(ReadMask.empty(), input);
    assertThat(unmasked).isEqualTo(input).isNotSameAs(input);
  }

  @Test
  void scalarDocumentsAreReturnedAsTheyAre() {
    assertThat(apply("'text'", "a", "hide").asText()).isEqualTo("text");
    assertThat(apply("null", "a", "hide").isNull()).isTrue();
  }

  @Test
  void refusesAShortKey() {
    assertThatThrownBy(() -> MaskApplier.create(new byte[15]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a field hash key has at least 16 bytes, not 15");
  }

  @Test
  void theKeyIsCopied() {
    byte[] key = KEY.clone();
    MaskApplier applier = MaskApplier.create(key);
    key[0] ^= 1;
    assertThat(applier.hash(Json.parse("'123-45-6789'")))
        .isEqualTo("sha256:8dff1f790dce05f4ec830950f8d29d1340c6f6e18df15dab3a771ada032e01d1");
  }
}
