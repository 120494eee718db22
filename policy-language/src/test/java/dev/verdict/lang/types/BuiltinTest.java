package dev.verdict.lang.types;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BuiltinTest {
  @Test
  void everyFunctionOfTheLanguageIsListedOnceByName() {
    assertThat(Arrays.stream(Builtin.values()).map(Builtin::functionName)).doesNotHaveDuplicates()
        .containsExactlyInAnyOrder("size", "lower", "startsWith", "endsWith", "contains", "containsAll", "containsAny", "ip",
            "cidr", "isLoopback", "isMulticast", "duration", "time", "hour", "minute", "second", "toTime", "toDate", "weekday", "before", "after");
    for (Builtin b : Builtin.values()) {
      assertThat(Builtin.lookup(b.functionName())).contains(b);
    }
    assertThat(Builtin.lookup("Lower")).isEmpty();
  }

  @Test
  void signaturesReadAsInTheDocs() {
    assertThat(Builtin.CIDR.signature()).isEqualTo("cidr(Ip|String, String) -> Bool");
    assertThat(Builtin.SIZE.signature()).isEqualTo("size(String|Set|Record) -> Number");
    assertThat(Builtin.BEFORE.arity()).isEqualTo(2);
    assertThat(Builtin.CONTAINS.signature()).isEqualTo("contains(Set, any value) -> Bool");
    assertThat(Builtin.WEEKDAY.result()).isEqualTo(Type.NUMBER);
  }

  @Test
  void parametersAcceptTheirTypesAndUnknownValues() {
    Builtin.Param ipOrString = Builtin.IS_LOOPBACK.params().get(0);
    assertThat(ipOrString.accepts(Type.IP)).isTrue();
    assertThat(ipOrString.accepts(Type.STRING)).isTrue();
    assertThat(ipOrString.accepts(Type.ANY)).isTrue();
    assertThat(ipOrString.accepts(Type.NUMBER)).isFalse();
    assertThat(ipOrString.format()).isEqualTo(LiteralFormat.IP_ADDRESS);
    Builtin.Param sets = Builtin.CONTAINS_ALL.params().get(1);
    assertThat(sets.accepts(new Type.SetOf(Type.Entity.of("Group")))).isTrue();
    assertThat(sets.accepts(Type.STRING)).isFalse();
    assertThat(Builtin.SIZE.params().get(0).accepts(Type.Record.closed(Map.of()))).isTrue();
  }

  @Test
  void typesCompareByShape() {
    assertThat(Type.accepts(Type.ANY_ENTITY, Type.Entity.of("User"))).isTrue();
    assertThat(Type.accepts(Type.Entity.of("User"), Type.Entity.of("Group"))).isFalse();
    assertThat(Type.comparable(Type.Entity.of("User"), Type.Entity.of("Group"))).isTrue();
    assertThat(Type.comparable(Type.NUMBER, Type.STRING)).isFalse();
    assertThat(Type.join(Type.STRING, Type.NUMBER)).isEqualTo(Type.ANY);
    assertThat(new Type.SetOf(new Type.Entity(Optional.of("User"))).display()).isEqualTo("Set<User>");
    assertThat(Type.Record.closed(Map.of("a", new Type.Attr(Type.STRING, true))).display()).isEqualTo("{ a?: String }");
  }
}
