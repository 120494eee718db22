package dev.verdict.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where request JSON meets a declared type, every decision path agrees (issue 9 items 1 and 3,
 * issue 8 item 1): {@code verdict eval}, {@code /v1/decisions}, AuthZEN and {@code test} blocks.
 */
class TypedJsonPathsTest {
  @TempDir
  static Path tmp;
  static DecisionPaths paths;
  static DecisionPaths banking;

  static final String SET = """
      context { src: Ip, amount: Number }
      policy net on Doc {
        permit read when context.src == ip("10.0.0.1")
        permit write when context.src != ip("6.6.6.6")
        permit approve when context.amount > 1000000000000000000
      }
      """;

  @BeforeAll
  static void start() throws Exception {
    Path dir = tmp.resolve("set");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("p.verdict"), SET, StandardCharsets.UTF_8);
    paths = new DecisionPaths(dir, tmp.resolve("work"));
    banking = new DecisionPaths(Path.of("../policies/banking").toAbsolutePath().normalize(), tmp.resolve("work-b"));
  }

  @AfterAll
  static void stop() {
    paths.close();
    banking.close();
  }

  static JsonNode request(String action, String context) throws Exception {
    return DecisionPaths.JSON.readTree("{\"principal\":{\"id\":\"a\"},\"resource\":{\"type\":\"Doc\",\"id\":\"d\"},"
        + "\"action\":\"" + action + "\",\"context\":" + context + "}");
  }

  /** The outcome on eval, the native API, AuthZEN and a test block, in that order. */
  static List<String> outcomes(JsonNode request) throws Exception {
    List<String> out = new ArrayList<>();
    out.add(paths.eval(request).path("decision").asText());
    out.add(paths.nativeApi(request).path("decision").asText());
    out.add(paths.authZen(request).path("decision").asText());
    out.add(paths.testBlocks(List.of(request)).get(0).path("decision").asText());
    return out;
  }

  @Test
  void anIpDeclaredInTheContextEqualsTheIpLiteralOnEveryPath() throws Exception {
    assertThat(outcomes(request("read", "{\"src\":\"10.0.0.1\"}"))).containsOnly("allow");
    assertThat(outcomes(request("read", "{\"src\":\"10.0.0.2\"}"))).containsOnly("deny");
  }

  @Test
  void notEqualOnADeclaredIpDoesNotFailOpen() throws Exception {
    assertThat(outcomes(request("write", "{\"src\":\"6.6.6.6\"}"))).containsOnly("deny");
    assertThat(outcomes(request("write", "{\"src\":\"6.6.6.7\"}"))).containsOnly("allow");
  }

  @Test
  void decimalsAreExactOnEveryPath() throws Exception {
    assertThat(outcomes(request("approve", "{\"amount\":1000000000000000000.5}"))).containsOnly("allow");
    assertThat(outcomes(request("approve", "{\"amount\":1000000000000000000.0}"))).containsOnly("deny");
  }

  @Test
  void aStringThatIsNotAnIpIsRefusedWithItsPathOnEveryWirePath() throws Exception {
    JsonNode r = request("read", "{\"src\":\"10.0.0.300\"}");
    JsonNode want = DecisionPaths.invalid("$.context.src");
    assertThat(paths.eval(r)).isEqualTo(want);
    assertThat(paths.nativeApi(r)).isEqualTo(want);
    assertThat(paths.authZen(r)).isEqualTo(want);
    assertThat(paths.testBlocks(List.of(r)).get(0).path("failed").asText()).contains("context.src").contains("Ip");
  }

  @Test
  void aHugeNumberIsA400NamingItsPathNeverA500() throws Exception {
    TestServer.Response r = banking.post("/v1/decisions", "{\"principal\":{\"id\":\"x\"},"
        + "\"resources\":[{\"type\":\"Session\",\"id\":\"s\"}],\"actions\":[\"login\"],\"context\":{\"ip\":1e999999999}}");
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.json().at("/error/code").asText()).isEqualTo("invalid_request");
    assertThat(r.json().at("/error/details/path").asText()).isEqualTo("$.context.ip");
    assertThat(r.json().at("/error/message").asText()).contains("number out of range");
    TestServer.Response a = banking.post("/access/v1/evaluation", "{\"subject\":{\"type\":\"User\",\"id\":\"x\"},"
        + "\"resource\":{\"type\":\"Session\",\"id\":\"s\"},\"action\":{\"name\":\"login\"},"
        + "\"context\":{\"ip\":1e999999999}}");
    assertThat(a.status()).as(a.body()).isEqualTo(400);
    assertThat(a.json().at("/error/details/path").asText()).isEqualTo("$.context.ip");
    // The server still answers: nothing was expanded.
    TestServer.Response ok = banking.post("/v1/decisions", "{\"principal\":{\"id\":\"x\"},"
        + "\"resources\":[{\"type\":\"Session\",\"id\":\"s\"}],\"actions\":[\"login\"],\"context\":{\"ip\":\"10.0.0.1\"}}");
    assertThat(ok.status()).as(ok.body()).isEqualTo(200);
    assertThat(banking.serverErrors()).doesNotContain("OutOfMemoryError").doesNotContain("Exception");
    JsonNode viaEval = DecisionPaths.JSON.readTree("{\"principal\":{\"id\":\"x\"},"
        + "\"resource\":{\"type\":\"Session\",\"id\":\"s\"},\"action\":\"login\",\"context\":{\"ip\":1e999999999}}");
    assertThat(banking.eval(viaEval)).isEqualTo(DecisionPaths.invalid("$.context.ip"));
  }
}
