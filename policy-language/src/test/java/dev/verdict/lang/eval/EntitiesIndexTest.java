package dev.verdict.lang.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.lang.data.EntityUid;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link Entities#ofTypeWhere}: the data files' index answers exactly what reading every entity answers. */
class EntitiesIndexTest {
  private static EntityData account(String id, Map<String, Value> attrs) {
    return new EntityData(new EntityUid("Account", id), attrs, List.of(), false);
  }

  /** The interface's own reading of every entity, the reference the index must agree with. */
  private static List<EntityData> scan(Entities e, String type, String name, Value value) {
    return new Entities() {
      @Override public EntityData get(EntityUid uid) { return e.get(uid); }
      @Override public java.util.Set<EntityUid> ancestors(EntityUid uid) { return e.ancestors(uid); }
      @Override public List<EntityData> ofType(String t) { return e.ofType(t); }
      @Override public java.util.SortedSet<String> types() { return e.types(); }
      @Override public int size() { return e.size(); }
    }.ofTypeWhere(type, name, value);
  }

  @Test
  void theIndexAgreesWithReadingEveryEntityInIdOrder() {
    Random r = new Random(7);
    List<EntityData> data = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      data.add(account(String.format("A-%05d", r.nextInt(100_000)) + "-" + i, i % 7 == 0
          ? Map.of("tenant", new Value.Str("t" + (i % 3)))
          : Map.of("owner", new Value.Str("u" + r.nextInt(40)), "tenant", new Value.Str("t" + (i % 3)),
              "balance", new Value.Num(new BigDecimal(i % 5 == 0 ? "10.0" : "10")))));
    }
    EntityGraph g = EntityGraph.flat(data);

    for (String name : List.of("owner", "tenant", "balance", "missing")) {
      for (Value v : List.of(new Value.Str("u3"), new Value.Str("t1"), new Value.Num(new BigDecimal("10")),
          new Value.Num(new BigDecimal("10.00")), new Value.Str("nobody"))) {
        List<EntityData> indexed = g.ofTypeWhere("Account", name, v);
        assertThat(indexed).as(name + " == " + v).containsExactlyElementsOf(scan(g, "Account", name, v));
      }
    }
    assertThat(g.ofTypeWhere("Account", "owner", new Value.Str("u3"))).isNotEmpty()
        .isSortedAccordingTo(java.util.Comparator.comparing(d -> d.uid().id()));
    // 10 and 10.0 are one number to a policy, so to the index
    assertThat(g.ofTypeWhere("Account", "balance", new Value.Num(new BigDecimal("10.0"))))
        .hasSize((int) data.stream().filter(d -> d.attrs().containsKey("balance")).count());
    assertThat(g.ofTypeWhere("Nothing", "owner", new Value.Str("u3"))).isEmpty();
  }
}
