package dev.verdict.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, gap 10 on the paths a service asks without a route: a {@code window} limit on an
 * intent that no route names, sent in {@code context.intent}, admits exactly its count on the
 * native and AuthZEN endpoints and refuses the next until the first admitted request leaves the
 * window (the gateway and {@code verdict test} paths are in GatewayRouteReachTest and
 * TestRunnerTest).
 */
class WindowLimitPathsTest {
  private static final String RESETS = """
      intent "auth.reset"

      limit resets on intent "auth.reset" by principal.id {
        2 per 1d window
      }
      """;

  private static TestServer server(Path tmp) throws Exception {
    return new TestServer(tmp, c -> {
      try {
        Files.writeString(c.policies().resolve("zz_resets.verdict"), RESETS);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return c;
    });
  }

  private static String nativeRead(String who) {
    return "{\"principal\":{\"id\":\"" + who + "\",\"roles\":[],\"tenant\":\"t1\"},"
        + "\"resources\":[{\"type\":\"Account\",\"id\":\"" + who + "1\",\"owner\":\"" + who + "\",\"tenant\":\"t1\"}],"
        + "\"actions\":[\"read\"],\"context\":{\"intent\":\"auth.reset\"}}";
  }

  @Test
  void theNativeEndpointAdmitsTheWindowsCountAndNoMore(@TempDir Path tmp) throws Exception {
    try (TestServer s = server(tmp)) {
      for (int i = 0; i < 2; i++) {
        JsonNode r = s.post("/v1/decisions", nativeRead("dave")).json().get("results").get(0);
        assertThat(r.get("decision").asText()).as(r.toString()).isEqualTo("allow");
      }
      JsonNode third = s.post("/v1/decisions", nativeRead("dave")).json().get("results").get(0);
      assertThat(third.get("decision").asText()).as(third.toString()).isEqualTo("rate_limited");
      assertThat(third.at("/rate/name").asText()).isEqualTo("resets");
      assertThat(third.at("/rate/limit").asLong()).isEqualTo(2);
      assertThat(third.at("/rate/retry_after").asLong()).as(third.toString()).isBetween(86_000L, 86_400L);
      JsonNode other = s.post("/v1/decisions", nativeRead("erin")).json().get("results").get(0);
      assertThat(other.get("decision").asText()).as("a budget per principal").isEqualTo("allow");
      JsonNode unlimited = s.post("/v1/decisions", nativeRead("dave").replace(",\"context\":{\"intent\":\"auth.reset\"}", ""))
          .json().get("results").get(0);
      assertThat(unlimited.get("decision").asText()).as("without the intent no limit applies").isEqualTo("allow");
    }
  }

  @Test
  void theAuthZenEndpointAdmitsTheWindowsCountAndNoMore(@TempDir Path tmp) throws Exception {
    try (TestServer s = server(tmp)) {
      String eval = "{\"subject\":" + TestServer.subject("frank", "customer") + ",\"resource\":"
          + TestServer.account("f1", "frank") + ",\"action\":{\"name\":\"read\"},\"context\":{\"intent\":\"auth.reset\"}}";
      for (int i = 0; i < 2; i++) {
        JsonNode r = s.post("/access/v1/evaluation", eval).json();
        assertThat(r.get("decision").booleanValue()).as(r.toString()).isTrue();
        assertThat(r.at("/context/rate/limit").asLong()).isEqualTo(2);
        assertThat(r.at("/context/rate/remaining").asLong()).isEqualTo(1 - i);
      }
      JsonNode third = s.post("/access/v1/evaluation", eval).json();
      assertThat(third.get("decision").booleanValue()).isFalse();
      assertThat(third.at("/context/outcome").asText()).isEqualTo("rate_limited");
      // a window frees its first request a day after it was admitted, not a third of a day (a bucket)
      assertThat(third.at("/context/rate/retry_after").asLong()).as(third.toString()).isBetween(86_000L, 86_400L);
    }
  }
}
