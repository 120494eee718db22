package dev.verdict.lang.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.lang.Verdict;
import dev.verdict.lang.ast.FieldEffect;
import dev.verdict.lang.mask.ReadMask;
import dev.verdict.lang.mask.WriteMask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A decision carries its masks parsed once: callers (server, SDK, gateway) never parse them again. */
class DecisionMasksTest {
  static final String POLICY = """
      policy accounts on Account {
        permit read
        fields read {
          holder.ssn: hide
          balance: partial(2)
          balance: redact when principal.id == "bob"
        }
        fields write {
          owner: deny
        }
      }
      """;

  @Test
  void aDecisionsMasksAreParsedOnceAndMatchItsMaps(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("a.verdict"), POLICY);
    PolicySet set = Verdict.load(dir).policySet().orElseThrow();
    Request req = RequestJson.parse(new ObjectMapper().readTree("""
        {"principal": {"id": "bob"}, "resource": {"type": "Account", "id": "a1"}, "action": "read"}
        """));
    Decision d = Authorizer.decide(set, req);

    assertThat(d.fieldMask()).isSameAs(d.fieldMask());
    assertThat(d.writeMask()).isSameAs(d.writeMask());
    assertThat(d.fieldMask()).isEqualTo(ReadMask.of(d.readMask()));
    assertThat(d.writeMask()).isEqualTo(WriteMask.of(d.writeDenied()));
    assertThat(d.readMaskText()).containsExactly(Map.entry("balance", "redact"), Map.entry("holder.ssn", "hide"));
    assertThat(d.writeDenied()).containsExactly("owner");
    // a rate outcome keeps the parsed masks
    Decision limited = d.withRate(new RateDecision("i", "l", "k", true, 1, java.time.Duration.ofMinutes(1), 0,
        java.time.Duration.ZERO, java.time.Duration.ZERO));
    assertThat(limited.fieldMask()).isSameAs(d.fieldMask());
  }

  @Test
  void masksGivenAsMapsAreParsedWhenTheDecisionIsMadeAndInvalidOnesStillFailWhereUsed() {
    Decision d = new Decision(Decision.Outcome.ALLOW, List.of(), List.of(),
        Map.of("a.b", FieldEffect.of(FieldEffect.Kind.HIDE)), Set.of("c"), Optional.empty(), Optional.empty(), "v");
    assertThat(d.fieldMask()).isSameAs(d.fieldMask());
    assertThat(d.fieldMask().effects()).containsOnlyKeys("a.b");
    assertThat(d.writeMask().denied()).containsExactly("c");

    Decision bad = new Decision(Decision.Outcome.ALLOW, List.of(), List.of(),
        Map.of("not a path!", FieldEffect.of(FieldEffect.Kind.HIDE)), Set.of(), Optional.empty(), Optional.empty(), "v");
    assertThatThrownBy(bad::fieldMask).isInstanceOf(IllegalArgumentException.class);
    assertThat(bad.readMaskText()).containsOnlyKeys("not a path!");
  }
}
