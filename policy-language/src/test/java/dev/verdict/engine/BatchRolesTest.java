package dev.verdict.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.lang.data.EntityUid;
import dev.verdict.lang.eval.Decision;
import dev.verdict.lang.eval.EntityData;
import dev.verdict.lang.eval.Value;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A batch settles a derived role once per principal and resource, for all the actions asked of
 * that resource, unless the role reads {@code action} or fails: then every decision evaluates
 * it (and reports its error) as one decision alone would. The answers are those of single
 * decisions.
 */
class BatchRolesTest {
  static final String POLICIES = """
      role in_shared on Doc when resource in Folder::"shared"
      role reading on Doc when action == "read"
      role sized on Doc when resource.size > 10
      policy docs on Doc {
        @id("shared") permit read, edit, share to in_shared
        @id("reading") permit list, read to reading
        @id("sized") permit size to sized
      }
      """;

  /** A store that counts the lookups of each entity. */
  static final class Counting extends EntitySourceTest.MapSource {
    final Map<EntityUid, AtomicInteger> lookups = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public EntityData find(EntityUid uid) {
      lookups.computeIfAbsent(uid, u -> new AtomicInteger()).incrementAndGet();
      return super.find(uid);
    }

    int of(EntityUid uid) {
      AtomicInteger n = lookups.get(uid);
      return n == null ? 0 : n.get();
    }
  }

  static final EntityData ALICE = new EntityData(new EntityUid("User", "alice"), Map.of(), List.of(), false);

  static EntityData doc(String id) {
    return new EntityData(new EntityUid("Doc", id), Map.of(), List.of(), false);
  }

  static Engine engine(Counting store) {
    return Engine.builder(PolicySource.files(Map.of("docs.verdict", POLICIES))).entities(store).buildOrThrow();
  }

  @Test
  void aRoleThatDoesNotReadTheActionIsSettledOncePerResource() {
    Counting store = new Counting();
    store.put(EntityData.of(new EntityUid("Doc", "d1"), Map.of(), List.of(new EntityUid("Folder", "shared"))));
    store.put(EntityData.of(new EntityUid("Doc", "d2"), Map.of(), List.of()));
    Engine engine = engine(store);
    List<Decision> batch = engine.decideBatch(ALICE, List.of(doc("d1"), doc("d2")), List.of("read", "edit", "share"),
        Map.of(), List.of(), DecideOptions.ENFORCE);
    // d2 is not in the shared folder; it may still be read (the `reading` role)
    assertThat(batch).extracting(Decision::allowed).containsExactly(true, true, true, true, false, false);
    // only the role reads the documents' parents, which the store holds: once per document, not per action
    assertThat(store.of(new EntityUid("Doc", "d1"))).isEqualTo(1);
    assertThat(store.of(new EntityUid("Doc", "d2"))).isEqualTo(1);

    Counting async = new Counting();
    async.put(EntityData.of(new EntityUid("Doc", "d1"), Map.of(), List.of(new EntityUid("Folder", "shared"))));
    List<Decision> staged = engine(async).decideBatchAsync(ALICE, List.of(doc("d1")), List.of("read", "edit"),
        Map.of(), List.of(), DecideOptions.ENFORCE).toCompletableFuture().join();
    assertThat(staged).extracting(Decision::allowed).containsExactly(true, true);
    assertThat(async.of(new EntityUid("Doc", "d1"))).isEqualTo(1);
  }

  @Test
  void aRoleThatReadsTheActionIsEvaluatedForEachAction() {
    Engine engine = engine(new Counting());
    for (List<String> actions : List.of(List.of("read", "list"), List.of("list", "read"))) {
      List<Decision> batch = engine.decideBatch(ALICE, List.of(doc("d1")), actions, Map.of(), List.of(),
          DecideOptions.ENFORCE);
      for (int i = 0; i < actions.size(); i++) {
        assertThat(batch.get(i).allowed()).as(actions.get(i) + " in " + actions).isEqualTo(actions.get(i).equals("read"));
      }
    }
  }

  @Test
  void aRoleThatFailsIsReportedByEveryDecisionItAffects() {
    Engine engine = engine(new Counting());
    EntityData noSize = doc("d1");
    EntityData sized = new EntityData(new EntityUid("Doc", "d2"), Map.of("size", Value.Num.of(20)), List.of(), false);
    List<Decision> batch = engine.decideBatch(ALICE, List.of(noSize, sized), List.of("size", "size"), Map.of(),
        List.of(), DecideOptions.ENFORCE);
    assertThat(batch).extracting(Decision::allowed).containsExactly(false, false, true, true);
    assertThat(batch.get(0).errors()).hasSize(1);
    assertThat(batch.get(1).errors()).as("the second decision on the same resource").hasSize(1);
    assertThat(batch.get(2).errors()).isEmpty();
    assertThat(batch).extracting(Decision::errors).element(1).isEqualTo(batch.get(0).errors());
  }

  @Test
  void anExplainedBatchTracesEveryRoleItEvaluates() {
    Counting store = new Counting();
    store.put(EntityData.of(new EntityUid("Doc", "d1"), Map.of(), List.of(new EntityUid("Folder", "shared"))));
    List<Decision> batch = engine(store).decideBatch(ALICE, List.of(doc("d1")), List.of("read", "edit"), Map.of(),
        List.of(), DecideOptions.WHAT_IF.withExplain(true));
    for (Decision d : batch) {
      assertThat(d.trace()).isPresent();
      assertThat(d.trace().get().steps()).anyMatch(s -> s.kind().equals("role") && s.id().equals("in_shared"));
    }
  }
}
