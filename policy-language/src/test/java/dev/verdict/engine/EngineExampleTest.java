package dev.verdict.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.lang.eval.Decision;
import dev.verdict.lang.eval.Request;
import dev.verdict.lang.eval.RequestJson;
import dev.verdict.lang.mask.MaskApplier;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/architecture.md's embedding example, line for line: it must keep compiling and answering so. */
class EngineExampleTest {
  @Test
  void theDocumentedProgramDecidesATransferMasksAndShowsTheRate() throws Exception {
    // --- the example (docs/architecture.md, "Embedding the engine") ---
    Engine engine = Engine.builder(PolicySource.directory(Path.of("../policies/banking"))).buildOrThrow();
    ObjectMapper json = new ObjectMapper();
    Request transfer = RequestJson.parse(json.readTree("""
        {"principal": {"id": "alice", "roles": ["customer"], "tenant": "bank1", "branch": "b-leeds", "trust": 90},
         "resource": {"type": "Account", "id": "A-1001"},
         "action": "transfer", "context": {"mfa": true}}"""), engine.active().orElseThrow().set().types());
    Decision d = engine.decide(transfer);
    JsonNode account = json.readTree("""
        {"owner": "alice", "balance": 2500, "holder": {"name": "Alice Archer", "ssn": "123-45-6789"}}""");
    JsonNode shown = MaskApplier.create(new byte[32]).apply(d.fieldMask(), account);
    String line = d.outcome().word() + " " + shown + " " + d.rate().map(r -> r.remaining() + " left").orElse("");
    // --- end of the example ---
    // what docs/architecture.md shows the program printing
    assertThat(line).isEqualTo("allow {\"owner\":\"alice\",\"balance\":2500,\"holder\":{\"name\":\"Alice Archer\","
        + "\"ssn\":\"*******6789\"}} 4 left");
    assertThat(d.allowed()).isTrue();
    assertThat(d.reasons()).contains("owner-access");
    assertThat(shown.get("holder").get("ssn").asText()).endsWith("6789").doesNotContain("123-45");
    assertThat(line).startsWith("allow ").endsWith("4 left");
  }
}
