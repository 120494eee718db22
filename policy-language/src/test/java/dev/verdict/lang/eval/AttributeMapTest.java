package dev.verdict.lang.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verdict.lang.data.EntityUid;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The map a reader makes a request's attributes in: a {@code Map.of} in all it answers, refusals included. */
class AttributeMapTest {
  private static Object[] pairs(int n) {
    Object[] kv = new Object[n * 2];
    for (int i = 0; i < n; i++) {
      kv[2 * i] = "attr" + i;
      kv[2 * i + 1] = new Value.Num(BigDecimal.valueOf(i));
    }
    return kv;
  }

  @Test
  void answersAsTheSameMapOfHashMapDoesForEverySize() {
    for (int n = 0; n <= 40; n++) {
      Object[] kv = pairs(n);
      Map<String, Value> expected = new HashMap<>();
      for (int i = 0; i < kv.length; i += 2) {
        expected.put((String) kv[i], (Value) kv[i + 1]);
      }
      AttributeMap m = AttributeMap.ofPairs(kv, 0, kv.length);
      assertThat(m).as("%d pairs", n).isEqualTo(expected).hasSize(n);
      assertThat(expected).isEqualTo(m);
      assertThat(m.hashCode()).isEqualTo(expected.hashCode());
      for (String k : expected.keySet()) {
        assertThat(m.get(k)).isEqualTo(expected.get(k));
        assertThat(m.containsKey(k)).isTrue();
      }
      assertThat(m.get("absent")).isNull();
      assertThat(m.containsKey("absent")).isFalse();
      assertThat(m.get(null)).isNull();
      Map<String, Value> visited = new HashMap<>();
      m.forEach(visited::put);
      assertThat(visited).isEqualTo(expected);
      assertThat(Map.copyOf(m)).isEqualTo(expected);
    }
  }

  @Test
  void namesWhoseHashesCollideAreAllFound() {
    // "Aa" and "BB" share a hash, as do their concatenations
    List<String> names = List.of("AaAa", "AaBB", "BBAa", "BBBB", "Aa", "BB");
    Object[] kv = new Object[names.size() * 2];
    for (int i = 0; i < names.size(); i++) {
      kv[2 * i] = names.get(i);
      kv[2 * i + 1] = new Value.Str(names.get(i));
    }
    AttributeMap m = AttributeMap.ofPairs(kv, 0, kv.length);
    for (String n : names) {
      assertThat(m.get(n)).isEqualTo(new Value.Str(n));
    }
    assertThat(m.get("AaAb")).isNull();
  }

  @Test
  void readsOnlyThePairsBetweenItsBounds() {
    Object[] kv = {"before", Value.Bool.TRUE, "a", Value.Bool.FALSE, "b", Value.Bool.TRUE, "after", Value.Bool.TRUE};
    assertThat(AttributeMap.ofPairs(kv, 2, 6)).isEqualTo(Map.of("a", Value.Bool.FALSE, "b", Value.Bool.TRUE));
  }

  @Test
  void refusesANameGivenTwiceAndNullsAsMapOfDoes() {
    Object[] twice = {"a", Value.Bool.TRUE, "b", Value.Bool.TRUE, "a", Value.Bool.FALSE};
    assertThatThrownBy(() -> AttributeMap.ofPairs(twice, 0, twice.length)).isInstanceOf(IllegalArgumentException.class);
    Object[] nullName = {null, Value.Bool.TRUE};
    assertThatThrownBy(() -> AttributeMap.ofPairs(nullName, 0, 2)).isInstanceOf(NullPointerException.class);
    Object[] nullValue = {"a", null};
    assertThatThrownBy(() -> AttributeMap.ofPairs(nullValue, 0, 2)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void cannotBeChanged() {
    AttributeMap m = AttributeMap.ofPairs(pairs(3), 0, 6);
    assertThatThrownBy(() -> m.put("x", Value.Bool.TRUE)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> m.remove("attr0")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(m::clear).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> m.entrySet().iterator().remove()).isInstanceOf(UnsupportedOperationException.class);
    assertThat(m).hasSize(3);
  }

  @Test
  void entitiesAndRequestsKeepItWithoutACopy() {
    AttributeMap attrs = AttributeMap.ofPairs(pairs(2), 0, 4);
    EntityData e = EntityData.of(new EntityUid("User", "alice"), attrs, List.of());
    assertThat(e.attrs()).isSameAs(attrs);
    Request r = new Request(e, e, "read", attrs, List.of());
    assertThat(r.context()).isSameAs(attrs);
    // a request stamped with `now` keeps the context's other attributes
    Request stamped = r.withContext("now", new Value.Time(5));
    assertThat(stamped.context()).hasSize(3).containsEntry("now", new Value.Time(5)).containsAllEntriesOf(attrs);
    assertThat(stamped.withContext("now", new Value.Time(6)).context()).hasSize(3)
        .containsEntry("now", new Value.Time(6));
  }
}
