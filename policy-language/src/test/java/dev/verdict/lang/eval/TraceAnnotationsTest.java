package dev.verdict.lang.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdict.lang.LoadResult;
import dev.verdict.lang.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Annotations of the author's own ({@code @owner("…")}) are kept and shown with each trace
 * step of their rule or field rule, beside {@code @reason}; {@code @id} is the step's id.
 */
class TraceAnnotationsTest {
  static final String POLICY = """
      policy accounts on Account {
        @id("read") @owner("team-accounts") @ticket("SEC-12")
        permit read
        @reason("the account is frozen") @severity("high")
        forbid read when resource.frozen
        permit list
        fields read {
          @owner("privacy") ssn: hide
        }
      }
      """;

  @Test
  void aTraceCarriesEachRulesAnnotations(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("a.verdict"), POLICY);
    LoadResult loaded = Verdict.load(dir);
    assertThat(loaded.diagnostics()).isEmpty();
    PolicySet set = loaded.policySet().orElseThrow();
    Request req = RequestJson.parse(new ObjectMapper().readTree("""
        {"principal": {"id": "alice"}, "resource": {"type": "Account", "id": "a1", "frozen": false},
         "action": "read"}
        """));
    Decision d = Authorizer.decide(set, req, true);
    assertThat(d.outcome()).isEqualTo(Decision.Outcome.ALLOW);
    Map<String, Map<String, String>> byId = new java.util.HashMap<>();
    d.trace().orElseThrow().steps().forEach(s -> byId.put(s.id(), s.annotations()));
    assertThat(byId.get("read")).containsExactly(Map.entry("owner", "team-accounts"), Map.entry("ticket", "SEC-12"));
    assertThat(byId.get("accounts:4")).containsExactly(Map.entry("reason", "the account is frozen"),
        Map.entry("severity", "high"));
    assertThat(byId.get("ssn")).containsExactly(Map.entry("owner", "privacy"));

    ObjectNode json = DecisionJson.write(d, new ObjectMapper().createObjectNode());
    assertThat(json.at("/trace").findValues("annotations")).extracting(Object::toString).containsExactlyInAnyOrder(
        "{\"owner\":\"team-accounts\",\"ticket\":\"SEC-12\"}", "{\"reason\":\"the account is frozen\",\"severity\":\"high\"}",
        "{\"owner\":\"privacy\"}");

    Decision list = Authorizer.decide(set, req.withAction("list"), true);
    assertThat(list.trace().orElseThrow().steps()).filteredOn(s -> s.id().equals("accounts:6"))
        .singleElement().satisfies(s -> assertThat(s.annotations()).isEmpty());
  }
}
