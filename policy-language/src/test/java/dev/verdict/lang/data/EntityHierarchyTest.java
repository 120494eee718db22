package dev.verdict.lang.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.lang.source.Code;
import dev.verdict.lang.source.Diagnostic;
import dev.verdict.lang.source.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EntityHierarchyTest {
  static EntityRecord entity(String id, String... parents) {
    List<EntityUid> ps = new ArrayList<>();
    for (String p : parents) {
      ps.add(new EntityUid("G", p));
    }
    return new EntityRecord(new EntityUid("G", id), Map.of(), ps, Span.ofFile("f"), "$[" + id + "]");
  }

  @Test
  void ancestorsAreTransitiveAndIncludeUndefinedParents() {
    List<Diagnostic> out = new ArrayList<>();
    EntityHierarchy h = EntityHierarchy.build(List.of(entity("a", "b"), entity("b", "c", "d"), entity("c", "x")), out);
    assertThat(out).isEmpty();
    assertThat(h.ancestors(new EntityUid("G", "a"))).extracting(EntityUid::id).containsExactlyInAnyOrder("b", "c", "d", "x");
    assertThat(h.ancestors(new EntityUid("G", "x"))).isEmpty();
    assertThat(h.size()).isEqualTo(3);
  }

  @Test
  void ancestorsOfACycleTerminate() {
    List<Diagnostic> out = new ArrayList<>();
    EntityHierarchy h = EntityHierarchy.build(List.of(entity("a", "b"), entity("b", "a")), out);
    assertThat(out).extracting(Diagnostic::code).containsExactly(Code.DATA_CYCLE);
    assertThat(out.get(0).message()).isEqualTo("cycle in the entity hierarchy: `G::\"a\"` -> `G::\"b\"` -> `G::\"a\"`");
    assertThat(out.get(0).jsonPath()).contains("$[b].parents[0]");
    assertThat(h.ancestors(new EntityUid("G", "a"))).extracting(EntityUid::id).containsExactly("b");
  }

  @Test
  void aDiamondIsNotACycle() {
    List<Diagnostic> out = new ArrayList<>();
    EntityHierarchy.build(List.of(entity("a", "b", "c"), entity("b", "d"), entity("c", "d"), entity("d")), out);
    assertThat(out).isEmpty();
  }

  @Test
  void reportsDuplicatesAndTheDeepestChainOnce() {
    List<EntityRecord> chain = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      chain.add(i == 0 ? entity("0") : entity(String.valueOf(i), String.valueOf(i - 1)));
    }
    chain.add(entity("5"));
    List<Diagnostic> out = new ArrayList<>();
    EntityHierarchy.build(chain, out);
    assertThat(out).extracting(Diagnostic::code).containsExactlyInAnyOrder(Code.DATA_DUPLICATE, Code.DATA_TOO_DEEP);
    assertThat(out).filteredOn(d -> d.code() == Code.DATA_TOO_DEEP).singleElement()
        .satisfies(d -> assertThat(d.message()).startsWith("`G::\"99999\"` is 99999 parent links below"));
  }

  @Test
  void thirtyTwoLinksAreAllowed() {
    List<EntityRecord> chain = new ArrayList<>();
    for (int i = 0; i <= 32; i++) {
      chain.add(i == 0 ? entity("0") : entity(String.valueOf(i), String.valueOf(i - 1)));
    }
    List<Diagnostic> out = new ArrayList<>();
    EntityHierarchy.build(chain, out);
    assertThat(out).isEmpty();
    chain.add(entity("33", "32"));
    EntityHierarchy.build(chain, out);
    assertThat(out).extracting(Diagnostic::code).containsExactly(Code.DATA_TOO_DEEP);
  }
}
