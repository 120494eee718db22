package dev.verdict.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.lang.data.EntityUid;
import dev.verdict.lang.eval.Decision;
import dev.verdict.lang.eval.EntityData;
import dev.verdict.lang.eval.Request;
import dev.verdict.lang.eval.Value;
import dev.verdict.lang.link.Link;
import dev.verdict.lang.link.LinkRecord;
import dev.verdict.lang.source.Span;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a decision shares with the others instead of making its own (issue 17): the decisions
 * that are their outcome and rule alone, and the stamped context of requests without one within
 * a millisecond. Shared values are the same values as before, each with its own set's version.
 */
class SharedDecisionValuesTest {
  static final String POLICIES = """
      policy docs on Doc {
        @id("owner-reads") permit read when resource.owner == principal.id
        @id("locked") forbid read, edit when resource.locked
        @id("size") permit edit when resource.size > 10
        fields read {
          secret: hide when principal.id == "eve"
        }
      }
      policy shares on Doc {
        @id("share") permit read when principal == ?principal
      }
      """;

  static EntityData user(String id) {
    return new EntityData(new EntityUid("User", id), Map.of(), List.of(), false);
  }

  static EntityData doc(String id, String owner, Map<String, Value> more) {
    Map<String, Value> attrs = new java.util.HashMap<>(more);
    attrs.put("owner", new Value.Str(owner));
    attrs.putIfAbsent("locked", Value.Bool.FALSE);
    return new EntityData(new EntityUid("Doc", id), attrs, List.of(), false);
  }

  static Request request(EntityData principal, EntityData resource, String action) {
    return new Request(principal, resource, action, Map.of(), List.of());
  }

  @Test
  void decisionsOfOneRuleOrNoneAreOneValuePerSet() {
    Engine engine = Engine.builder(PolicySource.files(Map.of("docs.verdict", POLICIES)))
        .clock(Clock.fixed(Instant.parse("2024-01-01T12:00:00Z"), ZoneOffset.UTC)).buildOrThrow();
    String version = engine.active().orElseThrow().version();

    Decision alice = engine.decide(request(user("alice"), doc("d1", "alice", Map.of()), "read"), DecideOptions.WHAT_IF);
    Decision bob = engine.decide(request(user("bob"), doc("d2", "bob", Map.of()), "read"), DecideOptions.WHAT_IF);
    assertThat(alice.allowed()).isTrue();
    assertThat(alice.reasons()).containsExactly("owner-reads");
    assertThat(alice.readMask()).isEmpty();
    assertThat(alice.policyVersion()).isEqualTo(version);
    assertThat(bob).as("the same rule alone decides both").isSameAs(alice);

    Decision locked1 = engine.decide(request(user("alice"), doc("d1", "alice", Map.of("locked", Value.Bool.TRUE)),
        "read"), DecideOptions.WHAT_IF);
    Decision locked2 = engine.decide(request(user("bob"), doc("d3", "carol", Map.of("locked", Value.Bool.TRUE)),
        "edit"), DecideOptions.WHAT_IF);
    assertThat(locked1.outcome()).isEqualTo(Decision.Outcome.DENY);
    assertThat(locked1.reasons()).containsExactly("locked");
    assertThat(locked2).isSameAs(locked1);

    Decision none1 = engine.decide(request(user("bob"), doc("d1", "alice", Map.of()), "read"), DecideOptions.WHAT_IF);
    Decision none2 = engine.decide(request(user("bob"), doc("d1", "alice", Map.of()), "delete"), DecideOptions.WHAT_IF);
    assertThat(none1.outcome()).isEqualTo(Decision.Outcome.DENY);
    assertThat(none1.reasons()).isEmpty();
    assertThat(none1.errors()).isEmpty();
    assertThat(none2).isSameAs(none1);

    // a mask, an error or a trace makes the decision its own
    Decision masked = engine.decide(request(user("eve"), doc("d4", "eve", Map.of()), "read"), DecideOptions.WHAT_IF);
    assertThat(masked.reasons()).containsExactly("owner-reads");
    assertThat(masked.readMaskText()).containsEntry("secret", "hide");
    assertThat(masked).isNotSameAs(alice);
    Decision failed = engine.decide(request(user("bob"), doc("d5", "bob", Map.of()), "edit"), DecideOptions.WHAT_IF);
    assertThat(failed.outcome()).isEqualTo(Decision.Outcome.DENY);
    assertThat(failed.errors()).singleElement().satisfies(e -> assertThat(e.ruleId()).isEqualTo("size"));
    Decision failedAgain = engine.decide(request(user("bob"), doc("d5", "bob", Map.of()), "edit"),
        DecideOptions.WHAT_IF);
    assertThat(failedAgain.errors()).hasSize(1);
    Decision explained = engine.decide(request(user("alice"), doc("d1", "alice", Map.of()), "read"),
        DecideOptions.WHAT_IF.withExplain(true));
    assertThat(explained.trace()).isPresent();
    assertThat(explained.reasons()).containsExactly("owner-reads");
    assertThat(alice.trace()).as("the shared decision kept no trace").isEmpty();
  }

  @Test
  void aRuleSharedByTwoSetsDecidesWithEachSetsVersion() {
    Engine engine = Engine.builder(PolicySource.files(Map.of("docs.verdict", POLICIES)))
        .clock(Clock.fixed(Instant.parse("2024-01-01T12:00:00Z"), ZoneOffset.UTC)).buildOrThrow();
    ActivePolicy before = engine.active().orElseThrow();
    Request alice = request(user("alice"), doc("d1", "alice", Map.of()), "read");
    assertThat(engine.decide(alice, DecideOptions.WHAT_IF).policyVersion()).isEqualTo(before.version());

    LinkChange added = engine.addLink(new LinkRecord(new Link("bob-share", "share",
        Map.of("principal", new EntityUid("User", "bob"))), Span.ofFile("test"), "$"));
    assertThat(added.status()).isEqualTo(LinkChange.Status.DONE);
    ActivePolicy after = engine.active().orElseThrow();
    assertThat(after.version()).isNotEqualTo(before.version());
    // the two sets share the compiled rule `owner-reads`; each decision names its own set
    for (int i = 0; i < 3; i++) {
      assertThat(engine.decide(after, alice, DecideOptions.WHAT_IF).policyVersion()).isEqualTo(after.version());
      assertThat(engine.decide(before, alice, DecideOptions.WHAT_IF).policyVersion()).isEqualTo(before.version());
    }
    Decision bob = engine.decide(request(user("bob"), doc("d2", "carol", Map.of()), "read"), DecideOptions.WHAT_IF);
    assertThat(bob.reasons()).containsExactly("share#bob-share");
    assertThat(bob.policyVersion()).isEqualTo(after.version());
  }

  /** A clock whose time the test sets. */
  static final class SetClock extends Clock {
    volatile long millis = Instant.parse("2024-01-01T12:00:00Z").toEpochMilli();

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }

    @Override
    public long millis() {
      return millis;
    }
  }

  @Test
  void requestsWithoutContextShareTheStampOfTheirMillisecond() {
    SetClock clock = new SetClock();
    List<DecisionEvent> seen = new ArrayList<>();
    Engine engine = Engine.builder(PolicySource.files(Map.of("docs.verdict", POLICIES))).clock(clock)
        .listener(seen::add).buildOrThrow();
    Request first = request(user("alice"), doc("d1", "alice", Map.of()), "read");
    Request second = request(user("bob"), doc("d2", "alice", Map.of()), "read");
    engine.decide(first, DecideOptions.WHAT_IF);
    engine.decide(second, DecideOptions.WHAT_IF);
    clock.millis += 1;
    engine.decide(first, DecideOptions.WHAT_IF);
    engine.decide(new Request(user("carol"), doc("d3", "carol", Map.of()), "read", Map.of("ip", new Value.Str("x")),
        List.of()), DecideOptions.WHAT_IF);

    assertThat(seen).hasSize(4);
    Map<String, Value> one = seen.get(0).request().context();
    assertThat(one).isEqualTo(Map.of("now", new Value.Time(clock.millis - 1)));
    assertThat(seen.get(1).request().context()).as("the same millisecond").isSameAs(one);
    assertThat(seen.get(2).request().context()).isEqualTo(Map.of("now", new Value.Time(clock.millis)));
    assertThat(seen.get(3).request().context())
        .isEqualTo(Map.of("now", new Value.Time(clock.millis), "ip", new Value.Str("x")));
    assertThat(seen.get(1).request().principal().uid().id()).isEqualTo("bob");
  }
}
