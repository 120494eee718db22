package dev.verdict.lang.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.lang.Verdict;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A decision written to a generator is the tree {@link DecisionJson} builds, byte for byte. */
class DecisionJsonTest {
  static final String POLICY = """
      policy accounts on Account {
        @id("read") @owner("team-accounts") @ticket("SEC-12")
        permit read
        @reason("the account is frozen") @severity("high")
        forbid read when resource.frozen
        permit update when resource.limit > 5
        fields read {
          @owner("privacy") holder.ssn: hide
          balance: partial(2)
          balance: redact when principal.id == "bob"
          "a \\"quoted\\" name": hide
        }
        fields write {
          owner: deny
          balance: deny
        }
      }
      """;

  @Test
  void everyMemberIsWrittenAsTheTreeHasIt(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("a.verdict"), POLICY);
    var loaded = Verdict.load(dir);
    assertThat(loaded.ok()).as("%s", loaded.diagnostics()).isTrue();
    PolicySet set = loaded.policySet().orElseThrow();
    ObjectMapper json = new ObjectMapper();
    List<Decision> decisions = new ArrayList<>();
    for (String principal : List.of("alice", "bob")) {
      for (String resource : List.of(", \"frozen\": false", ", \"frozen\": true", "", ", \"limit\": \"x\"",
          ", \"limit\": 9")) {
        for (String action : List.of("read", "update", "delete")) {
          Request req = RequestJson.parse(json.readTree("{\"principal\": {\"id\": \"" + principal + "\"}, "
              + "\"resource\": {\"type\": \"Account\", \"id\": \"a1\"" + resource + "}, \"action\": \""
              + action + "\"}"));
          decisions.add(Authorizer.decide(set, req, false));
          decisions.add(Authorizer.decide(set, req, true));
        }
      }
    }
    assertThat(decisions).anyMatch(d -> !d.errors().isEmpty()).anyMatch(d -> !d.readMaskText().isEmpty())
        .anyMatch(d -> !d.writeDenied().isEmpty()).anyMatch(d -> d.trace().isPresent()).anyMatch(d -> !d.allowed())
        .anyMatch(d -> !d.reasons().isEmpty());
    for (Decision d : decisions) {
      String tree = json.writeValueAsString(DecisionJson.write(d, json.createObjectNode()));
      StringWriter out = new StringWriter();
      try (JsonGenerator g = json.getFactory().createGenerator(out)) {
        g.writeStartObject();
        DecisionJson.write(d, g);
        g.writeEndObject();
      }
      assertThat(out.toString()).isEqualTo(tree);
    }
  }
}
