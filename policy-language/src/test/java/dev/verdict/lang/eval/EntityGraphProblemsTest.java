package dev.verdict.lang.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.lang.Verdict;
import dev.verdict.lang.data.EntityDataFile;
import dev.verdict.lang.data.EntityDataReader;
import dev.verdict.lang.data.EntityUid;
import dev.verdict.lang.source.Code;
import dev.verdict.lang.source.Diagnostic;
import dev.verdict.lang.source.Source;
import dev.verdict.lang.source.SourceSet;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The compiler builds its entity graph with the checker's hierarchy builder, from the data files
 * the checker read: its own checks of entity data report diagnostics with codes, help and the
 * record's place, as the checker's do.
 */
class EntityGraphProblemsTest {
  static final String CYCLE_AND_DUPLICATE = """
      [
        {"uid": {"type": "Group", "id": "a"}, "attrs": {}, "parents": [{"type": "Group", "id": "b"}]},
        {"uid": {"type": "Group", "id": "b"}, "attrs": {}, "parents": [{"type": "Group", "id": "a"}]},
        {"uid": {"type": "Group", "id": "c"}, "attrs": {}, "parents": []},
        {"uid": {"type": "Group", "id": "c"}, "attrs": {}, "parents": []}
      ]
      """;

  private static Compiler.Result compile(String data) {
    Source source = new Source("groups.entities.json", data);
    List<EntityDataFile> parsed = List.of(EntityDataReader.read(source));
    return Compiler.compile(List.of(), List.of(source), parsed, Function.identity());
  }

  @Test
  void cyclesAndDuplicatesAreDiagnosticsAtTheirRecords() {
    Compiler.Result r = compile(CYCLE_AND_DUPLICATE);
    assertThat(r.ok()).isFalse();
    assertThat(r.problems()).extracting(Diagnostic::code).contains(Code.DATA_CYCLE, Code.DATA_DUPLICATE);
    assertThat(r.problems()).allSatisfy(d -> {
      assertThat(d.help()).isPresent();
      assertThat(d.span().file()).isEqualTo("groups.entities.json");
      assertThat(d.span().line()).isGreaterThan(1);
    });
  }

  @Test
  void aSoundHierarchyHasNoneAndItsAncestorsAreTheHierarchys() {
    Compiler.Result r = compile("""
        [
          {"uid": {"type": "Group", "id": "a"}, "attrs": {}, "parents": [{"type": "Group", "id": "b"}]},
          {"uid": {"type": "Group", "id": "b"}, "attrs": {}, "parents": [{"type": "Group", "id": "c"}]}
        ]
        """);
    assertThat(r.problems()).isEmpty();
    EntityGraph g = r.set().graph();
    assertThat(g.size()).isEqualTo(2);
    assertThat(g.ancestors(new EntityUid("Group", "a")))
        .containsExactlyInAnyOrder(new EntityUid("Group", "b"), new EntityUid("Group", "c"));
  }

  @Test
  void aLoadReadsEachDataFileOnce() {
    SourceSet sources = new SourceSet(List.of(), List.of(new Source("groups.entities.json", CYCLE_AND_DUPLICATE)),
        List.of());
    var check = Verdict.check(sources);
    assertThat(check.data()).hasSize(1);
    assertThat(check.data().get(0).records()).hasSize(4);
  }
}
