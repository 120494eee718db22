package dev.verdict.sdk;

import static dev.verdict.sdk.People.A1;
import static dev.verdict.sdk.People.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.lang.eval.Value;
import dev.verdict.lang.eval.ValueTypes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A context read once is reused only for a context with the same entries, whatever the map
 * instance: a map the application changes between checks is read again, never served stale.
 */
class ContextMemoTest {
  @Test
  void theSameEntriesAreReadOnceAndChangedEntriesAgain() throws Exception {
    ContextMemo memo = new ContextMemo();
    Map<String, Value> first = memo.read(Map.of("mfa", true, "ip", "10.0.0.7"), ValueTypes.NONE);
    assertThat(memo.read(new HashMap<>(Map.of("ip", "10.0.0.7", "mfa", true)), ValueTypes.NONE)).isSameAs(first);
    Map<String, Object> mutable = new HashMap<>(Map.of("mfa", true, "ip", "10.0.0.7"));
    assertThat(memo.read(mutable, ValueTypes.NONE)).isSameAs(first);
    mutable.put("mfa", false);
    Map<String, Value> changed = memo.read(mutable, ValueTypes.NONE);
    assertThat(changed).isNotSameAs(first).containsEntry("mfa", Value.Bool.FALSE);
    mutable.put("mfa", true);
    assertThat(memo.read(mutable, ValueTypes.NONE)).containsEntry("mfa", Value.Bool.TRUE);
    assertThat(first).containsEntry("mfa", Value.Bool.TRUE); // what was handed out is never changed
  }

  @Test
  void contextsHoldingObjectsAreReadEveryTime() throws Exception {
    ContextMemo memo = new ContextMemo();
    List<String> tags = new java.util.ArrayList<>(List.of("a"));
    Map<String, Object> ctx = Map.of("tags", tags);
    Map<String, Value> first = memo.read(ctx, ValueTypes.NONE);
    tags.add("b");
    assertThat(memo.read(ctx, ValueTypes.NONE)).isNotEqualTo(first);
  }

  @Test
  void anEmbeddedClientDecidesOnTheContextItIsGivenEachTime() throws Exception {
    try (VerdictClient c = VerdictClient.embedded(Pdp.BANKING).noWatch().cache(0).build()) {
      Map<String, Object> ctx = new HashMap<>(Map.of("mfa", true));
      // trusted: five transfers a minute, more than this test asks for
      Principal lou = Principal.of("lou").roles("customer").attr("tenant", "bank1").attr("trust", 90);
      Resource l1 = Resource.of("Account", "l1").attr("owner", "lou").attr("tenant", "bank1").attr("frozen", false);
      assertThat(c.check(ALICE, A1, "read", ctx).allowed()).isTrue();
      assertThat(c.check(lou, l1, "transfer", ctx).allowed()).isTrue();
      ctx.put("mfa", false);
      assertThat(c.check(lou, l1, "transfer", ctx).reasons()).containsExactly("transfer-needs-mfa");
      assertThat(c.checkAllAsync(lou, List.of(l1), List.of("transfer"), ctx).join().get(0).allowed()).isFalse();
      ctx.put("mfa", true);
      assertThat(c.check(lou, l1, "transfer", ctx).allowed()).isTrue();
    }
  }
}
