package dev.verdict.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A caller's {@code context.intent} can never switch off the limits routed for its action. */
class RequestIntentTest {

  private static String transfer(String context) {
    return "{\"principal\":{\"id\":\"dave\",\"roles\":[],\"tenant\":\"t1\"},"
        + "\"resources\":[{\"type\":\"Account\",\"id\":\"d1\",\"owner\":\"dave\",\"tenant\":\"t1\"}],"
        + "\"actions\":[\"transfer\"],\"context\":" + context + "}";
  }

  @Test
  void anIntentNoRouteOrLimitDeclaresIsAnInvalidRequest(@TempDir Path tmp) throws Exception {
    try (TestServer s = new TestServer(tmp)) {
      for (int i = 0; i < 7; i++) {
        TestServer.Response r = s.post("/v1/decisions", transfer("{\"intent\":\"no.limits.here\"}"));
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        JsonNode error = r.json().get("error");
        assertThat(error.get("code").asText()).isEqualTo("invalid_request");
        assertThat(r.body()).contains("$.context.intent").contains("funds.transfer")
            .doesNotContain("no.limits.here");
      }
      // Refused requests consumed nothing: the routed limit (5 per minute) still has its budget.
      for (int i = 0; i < 5; i++) {
        JsonNode j = s.post("/v1/decisions", transfer("{\"intent\":\"funds.transfer\"}")).json();
        assertThat(j.get("results").get(0).get("decision").asText()).isEqualTo("allow");
      }
      JsonNode sixth = s.post("/v1/decisions", transfer("{}")).json();
      assertThat(sixth.get("results").get(0).get("decision").asText()).isEqualTo("rate_limited");
    }
  }
}
