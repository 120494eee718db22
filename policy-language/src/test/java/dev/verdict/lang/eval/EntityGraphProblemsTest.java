package dev.verdict.lang.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.lang.data.EntityUid;
import dev.verdict.lang.source.Code;
import dev.verdict.lang.source.Diagnostic;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The compiler's own checks of entity data report diagnostics with codes and help, as the checker's do. */
class EntityGraphProblemsTest {
  static EntityData entity(String id, String... parents) {
    return EntityData.of(new EntityUid("Group", id), Map.of(),
        java.util.Arrays.stream(parents).map(p -> new EntityUid("Group", p)).toList());
  }

  @Test
  void cyclesAndDuplicatesAreDiagnostics() {
    EntityGraph.Result r = EntityGraph.build(List.of(entity("a", "b"), entity("b", "a"), entity("c"), entity("c")));
    assertThat(r.problems()).extracting(Diagnostic::code).contains(Code.DATA_CYCLE, Code.BAD_JSON);
    assertThat(r.problems()).allSatisfy(d -> assertThat(d.help()).isPresent());
  }

  @Test
  void aSoundHierarchyHasNone() {
    assertThat(EntityGraph.build(List.of(entity("a", "b"), entity("b"))).problems()).isEmpty();
  }
}
