package dev.verdict.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Masks as the SDK applies them: every effect, unknown effects hidden, any serialisable object. */
class MasksTest {
  record Holder(String name, String ssn) {}

  record Account(String id, long balance, Holder holder, List<String> tags) {}

  static Decision allow(Map<String, String> read, Set<String> write, Masks masks) {
    return new Decision(Decision.Outcome.ALLOW, List.of("r"), List.of(), read, write, Optional.empty(), "v", "",
        Optional.empty(), masks);
  }

  @Test
  void everyEffectAppliesToRecordsAndMaps() {
    Decision d = allow(Map.of("balance", "redact", "holder.ssn", "partial(4)", "tags[]", "hash", "id", "hide"),
        Set.of(), Masks.withKey(new byte[32]));
    JsonNode masked = d.applyReadMask(new Account("a1", 2500, new Holder("Alice", "123-45-6789"), List.of("vip")));
    assertThat(masked.has("id")).isFalse();
    assertThat(masked.get("balance").asText()).isEqualTo("[REDACTED]");
    assertThat(masked.at("/holder/ssn").asText()).isEqualTo("*******6789");
    assertThat(masked.at("/tags/0").asText()).startsWith("sha256:");
    Map<String, Object> fromMap = d.applyReadMask(Map.of("id", "a1", "balance", 1));
    assertThat(fromMap).containsOnly(Map.entry("balance", "[REDACTED]"));
  }

  @Test
  void anEffectTheSdkDoesNotKnowHidesTheField() throws Exception {
    Decision d = allow(Map.of("ssn", "scramble(2)"), Set.of(), Masks.NONE);
    assertThat(d.applyReadMask(Json.MAPPER.readTree("{\"ssn\":\"1\",\"name\":\"a\"}")).toString())
        .isEqualTo("{\"name\":\"a\"}");
  }

  @Test
  void deniedWritesFindNestedAndNullFields() throws Exception {
    Decision d = allow(Map.of(), Set.of("owner", "holder.ssn"), Masks.NONE);
    assertThat(d.deniedWrites(Json.MAPPER.readTree("{\"owner\":null,\"holder\":{\"ssn\":\"x\"}}")))
        .containsExactly("holder.ssn", "owner");
    assertThat(d.deniedWrites(Json.MAPPER.readTree("{\"name\":\"x\"}"))).isEmpty();
  }
}
