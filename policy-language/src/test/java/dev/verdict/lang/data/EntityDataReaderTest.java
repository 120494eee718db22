package dev.verdict.lang.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.verdict.lang.source.Code;
import dev.verdict.lang.source.Diagnostic;
import dev.verdict.lang.source.Source;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EntityDataReaderTest {
  static EntityData read(String json) {
    return EntityDataReader.read(new Source("d.entities.json", json));
  }

  static Diagnostic only(EntityData d) {
    assertThat(d.diagnostics()).hasSize(1);
    return d.diagnostics().get(0);
  }

  @Test
  void readsEntitiesWithAttributesParentsAndExactDecimals() {
    EntityData d = read("""
        [
          {"uid": {"type": "Group", "id": "eng"}, "parents": [{"type": "Group", "id": "all"}]},
          {"uid": {"__entity": {"type": "User", "id": "alice"}},
           "attrs": {"rate": 0.1, "boss": {"__entity": {"type": "User", "id": "bob"}}},
           "parents": [{"__entity": {"type": "Group", "id": "eng"}}]}
        ]
        """);
    assertThat(d.diagnostics()).isEmpty();
    assertThat(d.records()).extracting(EntityRecord::uid)
        .containsExactly(new EntityUid("Group", "eng"), new EntityUid("User", "alice"));
    EntityRecord alice = d.records().get(1);
    assertThat(alice.parents()).containsExactly(new EntityUid("Group", "eng"));
    assertThat(alice.attrs().get("rate").decimalValue()).isEqualByComparingTo("0.1");
    assertThat(alice.attrs().get("rate").isBigDecimal()).isTrue();
    assertThat(alice.jsonPath()).isEqualTo("$[1]");
    assertThat(alice.span().line()).isEqualTo(3);
    assertThat(alice.span().column()).isEqualTo(3);
    assertThat(alice.uid()).hasToString("User::\"alice\"");
  }

  @Test
  void anEmptyArrayIsFine() {
    assertThat(read("[]").diagnostics()).isEmpty();
    assertThat(read("  [ ]\n").records()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      ''                                                  | 0 | 0 | entity data file is empty
      '{"uid": {"type": "G", "id": "g"}}'                 | 1 | 1 | entity data must be a JSON array of entities, found an object
      '"just a string"'                                   | 1 | 1 | entity data must be a JSON array of entities, found a string
      '[{"uid": {"type": "G", "id": "g"}'                 | 1 | 34 | JSON ends before every `[` and `{` is closed
      '[{"uid": '                                         | 1 | 10 | JSON ends before every `[` and `{` is closed
      '[{"uid": {"type": "G", "id": "g"}} {}]'            | 1 | 36 | unexpected `{` in JSON: expected `,` between the elements of an array
      '[{uid: 1}]'                                        | 1 | 3 | unexpected `u` in JSON: expected `"` to start field name
      '[nope]'                                            | 1 | 2 | unexpected `nope` in JSON
      '[] []'                                             | 1 | 4 | unexpected an array after the array of entities
      '[1]'                                               | 1 | 2 | an entity must be a JSON object, found a number
      '[{}]'                                              | 1 | 2 | entity has no `uid`
      '[{"uid": "G::g"}]'                                 | 1 | 10 | `uid` must be an object with a `type` and an `id`, found a string
      '[{"uid": {"type": "G", "id": 7}}]'                 | 1 | 10 | `uid` has an `id` that is not a string
      '[{"uid": {"type": "G", "id": "g", "x": 1}}]'       | 1 | 10 | `uid` has keys other than `type` and `id`
      '[{"uid": {"type": "a b", "id": "g"}}]'             | 1 | 19 | `a b` is not an entity type name
      '[{"uid": {"type": "G", "id": "g"}, "attrs": []}]'  | 1 | 45 | `attrs` must be a JSON object, found an array
      '[{"uid": {"type": "G", "id": "g"}, "parents": [1]}]' | 1 | 48 | `parent` must be an object with a `type` and an `id`, found a number
      '[{"uid": {"type": "G", "id": "g"}, "attrs": {"a": {"__entity": "x"}}}]' | 1 | 51 | `__entity` must be an object with a `type` and an `id`, found an object
      '[{"uid": {"type": "G", "id": "g"}, "attrs": {"a": {"__entity": {"type": "G", "id": "h"}, "b": 1}}}]' | 1 | 51 | an entity reference has only the key `__entity`
      '[{"uid": {"type": "G", "id": "g"}, "atrs": {}}]'   | 1 | 36 | unknown key `atrs` in an entity
      '[{"uid": {"type": "G", "id": "g", "id": "h"}}]'    | 1 | 35 | key `id` appears twice in one object
      """)
  void reportsMalformedInputWithAPosition(String json, int line, int column, String message) {
    Diagnostic d = only(read(json));
    assertThat(d.code()).isEqualTo(Code.BAD_JSON);
    assertThat(d.message()).isEqualTo(message);
    assertThat(d.span().line()).isEqualTo(line);
    assertThat(d.span().column()).isEqualTo(column);
    assertThat(d.jsonPath()).isPresent();
  }

  @Test
  void jsonPathsNameTheOffendingValue() {
    Diagnostic d = only(read("[{\"uid\": {\"type\": \"G\", \"id\": \"g\"}},\n {\"uid\": {\"type\": \"G\", \"id\": \"h\"}, "
        + "\"parents\": [{\"type\": \"G\", \"id\": \"g\"}, {\"type\": \"G\"}]}]"));
    assertThat(d.jsonPath()).contains("$[1].parents[1]");
    assertThat(d.span().line()).isEqualTo(2);
    assertThat(EntityDataReader.child("$[0].attrs", "two words")).isEqualTo("$[0].attrs[\"two words\"]");
  }

  @Test
  void aMalformedEntityDoesNotHideTheOthers() {
    EntityData d = read("[{\"uid\": 1}, {\"uid\": {\"type\": \"G\", \"id\": \"ok\"}}, {\"x\": 1}]");
    assertThat(d.records()).extracting(r -> r.uid().id()).containsExactly("ok");
    assertThat(d.diagnostics()).hasSize(3);
  }

  @Test
  void refusesNestingDeeperThanTheLimitWithoutOverflowingTheStack() {
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    EntityData d = read(deep);
    Diagnostic only = only(d);
    assertThat(only.code()).isEqualTo(Code.BAD_JSON);
    assertThat(only.message()).isEqualTo("JSON nested deeper than 32 levels");
    assertThat(only.span().line()).isEqualTo(1);
    assertThat(only.span().column()).isEqualTo(33);
  }

  @Test
  void attributeValuesNestedWithinTheLimitAreRead() {
    String value = "[".repeat(20) + "]".repeat(20);
    EntityData d = read("[{\"uid\": {\"type\": \"G\", \"id\": \"g\"}, \"attrs\": {\"a\": " + value + "}}]");
    assertThat(d.diagnostics()).isEmpty();
  }

  @Test
  void refusesOverlongStrings() {
    String big = "x".repeat(EntityDataReader.MAX_STRING_LENGTH + 1);
    Diagnostic d = only(read("[{\"uid\": {\"type\": \"G\", \"id\": \"" + big + "\"}}]"));
    assertThat(d.code()).isEqualTo(Code.BAD_JSON);
    assertThat(d.message()).isEqualTo("string longer than 65536 characters");
  }

  @Test
  void withoutPositionsOnlyTheRecordsAreKept() {
    EntityData d = EntityDataReader.read("x.json", "[{\"uid\": {\"type\": \"G\", \"id\": \"g\"}}]", false);
    assertThat(d.records()).hasSize(1);
    assertThat(d.positions()).isEmpty();
  }

  @Test
  void neverThrowsOnMutatedInput() {
    String valid = """
        [
          {"uid": {"type": "Group", "id": "eng"}, "attrs": {"n": 1.5, "t": [true, null]}, "parents": []},
          {"uid": {"type": "User", "id": "a\\"b"}, "parents": [{"__entity": {"type": "Group", "id": "eng"}}]}
        ]
        """;
    String alphabet = "[]{}\":,\\ 0123456789.-eE+truefalsnul\u00e9\u0000\n";
    Random random = new Random(42);
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      StringBuilder b = new StringBuilder(valid);
      int edits = 1 + random.nextInt(4);
      for (int k = 0; k < edits && b.length() > 0; k++) {
        int at = random.nextInt(b.length());
        switch (random.nextInt(3)) {
          case 0 -> b.deleteCharAt(at);
          case 1 -> b.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
          default -> b.setLength(at);
        }
      }
      String input = b.toString();
      assertThatCode(() -> {
        EntityData d = read(input);
        for (Diagnostic diag : d.diagnostics()) {
          if (!diag.span().hasPosition() && !input.isBlank()) {
            failures.add(input);
          }
          assertThat(diag.message()).doesNotContain("\n").doesNotContain("Exception");
        }
      }).as("input %s", input).doesNotThrowAnyException();
    }
    assertThat(failures).as("diagnostics without a position").isEmpty();
  }
}
