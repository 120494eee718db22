package dev.verdict.lang.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.lang.LoadResult;
import dev.verdict.lang.Verdict;
import dev.verdict.lang.ast.FieldEffect;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthorizerSmokeTest {
  static final String POLICY = """
      role owner on Account when resource.owner == principal.id
      policy accounts on Account {
        permit read, transfer to owner
        permit * to admin
        @id("frozen") @reason("the account is frozen")
        forbid transfer when resource.frozen
        fields read {
          balance: redact unless owner
          ssn: hide unless admin
        }
      }
      """;

  @Test
  void ownerMayReadAndSeesBalanceButNotSsn(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("a.verdict"), POLICY);
    LoadResult loaded = Verdict.load(dir);
    assertThat(loaded.diagnostics()).isEmpty();
    PolicySet set = loaded.policySet().orElseThrow();
    Request req = RequestJson.parse(new ObjectMapper().readTree("""
        {"principal": {"id": "alice", "roles": ["user"]},
         "resource": {"type": "Account", "id": "a1", "owner": "alice", "frozen": false},
         "action": "read"}
        """));
    Decision d = Authorizer.decide(set, req, true);
    assertThat(d.outcome()).isEqualTo(Decision.Outcome.ALLOW);
    assertThat(d.reasons()).containsExactly("accounts:3");
    assertThat(d.readMask()).containsOnlyKeys("ssn");
    assertThat(d.readMask().get("ssn").kind()).isEqualTo(FieldEffect.Kind.HIDE);
    assertThat(d.trace()).isPresent();

    Decision t = Authorizer.decide(set, req.withAction("transfer").withContext("x", Value.Bool.TRUE));
    assertThat(t.outcome()).isEqualTo(Decision.Outcome.ALLOW);
  }

  @Test
  void frozenForbidWinsAndMissingAttributeFailsClosed(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("a.verdict"), POLICY);
    PolicySet set = Verdict.load(dir).policySet().orElseThrow();
    Request frozen = RequestJson.parse(new ObjectMapper().readTree("""
        {"principal": {"id": "root", "roles": ["admin"]},
         "resource": {"type": "Account", "id": "a1", "owner": "alice", "frozen": true},
         "action": "transfer"}
        """));
    Decision d = Authorizer.decide(set, frozen);
    assertThat(d.outcome()).isEqualTo(Decision.Outcome.DENY);
    assertThat(d.reasons()).containsExactly("frozen");

    Request missing = RequestJson.parse(new ObjectMapper().readTree("""
        {"principal": {"id": "root", "roles": ["admin"]},
         "resource": {"type": "Account", "id": "a1", "owner": "alice"},
         "action": "transfer"}
        """));
    Decision e = Authorizer.decide(set, missing);
    assertThat(e.outcome()).isEqualTo(Decision.Outcome.DENY);
    assertThat(e.errors()).singleElement().satisfies(err -> assertThat(err.message()).contains("frozen"));
  }

  @Test
  void theDecisionsMasksApplyToADocument(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("a.verdict"), POLICY);
    PolicySet set = Verdict.load(dir).policySet().orElseThrow();
    ObjectMapper json = new ObjectMapper();
    Request req = RequestJson.parse(json.readTree("""
        {"principal": {"id": "bob", "roles": ["admin"]},
         "resource": {"type": "Account", "id": "a1", "owner": "alice", "frozen": false},
         "action": "read"}
        """));
    Decision d = Authorizer.decide(set, req);
    var masked = dev.verdict.lang.mask.MaskApplier.create("0123456789abcdef".getBytes())
        .apply(d.fieldMask(), json.readTree("{\"balance\": 10, \"ssn\": \"123\", \"id\": \"a1\"}"));
    assertThat(masked.toString()).isEqualTo("{\"balance\":\"[REDACTED]\",\"ssn\":\"123\",\"id\":\"a1\"}");
    assertThat(d.writeMask().isEmpty()).isTrue();
  }
}
