package dev.verdict.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /v1/decisions}: principal × resources × actions, limits and explain. */
class NativeDecisionsTest {
  @TempDir
  static Path tmp;
  static TestServer s;

  @BeforeAll
  static void start() throws Exception {
    s = new TestServer(tmp);
  }

  @AfterAll
  static void stop() {
    s.close();
    assertThat(s.blockingCalls.found()).isEmpty();
  }

  static final String PRINCIPAL = "{\"id\":\"alice\",\"roles\":[\"customer\"],\"tenant\":\"t1\"}";

  static String resources(int n) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < n; i++) {
      b.append(i == 0 ? "" : ",").append("{\"type\":\"Account\",\"id\":\"a").append(i)
          .append("\",\"owner\":\"").append(i % 2 == 0 ? "alice" : "bob").append("\",\"tenant\":\"t1\"}");
    }
    return b.append(']').toString();
  }

  static String actions(int n) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < n; i++) {
      b.append(i == 0 ? "" : ",").append("\"act").append(i).append('"');
    }
    return b.append(']').toString();
  }

  @Test
  void everyPairIsDecidedInOrder() {
    TestServer.Response r = s.post("/v1/decisions", "{\"principal\":" + PRINCIPAL + ",\"resources\":" + resources(2)
        + ",\"actions\":[\"read\",\"update\"],\"context\":{\"channel\":\"web\"}}");
    assertThat(r.status()).isEqualTo(200);
    JsonNode j = r.json();
    assertThat(j.get("decisionId").asText()).matches("[0-9a-f]{32}");
    assertThat(j.get("policyVersion").asText()).isEqualTo(s.server.store().current().orElseThrow().version());
    assertThat(j.get("cacheTtlSeconds").asInt()).isEqualTo(5);
    JsonNode results = j.get("results");
    assertThat(results).hasSize(4);
    JsonNode first = results.get(0);
    assertThat(first.get("resource").toString()).isEqualTo("{\"type\":\"Account\",\"id\":\"a0\"}");
    assertThat(first.get("action").asText()).isEqualTo("read");
    assertThat(first.get("decision").asText()).isEqualTo("allow");
    assertThat(first.get("reasons").get(0).asText()).isEqualTo("owner-access");
    assertThat(first.get("readMask").toString()).isEqualTo("{\"ssn\":\"partial(4)\"}");
    assertThat(first.get("writeDenied").toString()).isEqualTo("[\"owner\",\"tenant\"]");
    assertThat(first.get("rate").isNull()).isTrue();
    assertThat(first.get("errors")).isEmpty();
    assertThat(first.has("trace")).isFalse();
    assertThat(results.get(1).get("action").asText()).isEqualTo("update");
    assertThat(results.get(2).get("resource").get("id").asText()).isEqualTo("a1");
    assertThat(results.get(2).get("decision").asText()).isEqualTo("deny");
  }

  @Test
  void rateOutcomesAppearAndDisableCaching() {
    JsonNode j = s.post("/v1/decisions", "{\"principal\":{\"id\":\"dave\",\"roles\":[],\"tenant\":\"t1\"},"
        + "\"resources\":[{\"type\":\"Account\",\"id\":\"d1\",\"owner\":\"dave\",\"tenant\":\"t1\"}],"
        + "\"actions\":[\"transfer\"]}").json();
    assertThat(j.get("cacheTtlSeconds").asInt()).isZero();
    JsonNode rate = j.get("results").get(0).get("rate");
    assertThat(rate.get("intent").asText()).isEqualTo("funds.transfer");
    assertThat(rate.get("limit").asInt()).isEqualTo(5);
    assertThat(rate.get("remaining").asInt()).isEqualTo(4);
  }

  @Test
  void explainAddsATrace() {
    JsonNode j = s.post("/v1/decisions", "{\"principal\":" + PRINCIPAL + ",\"resources\":" + resources(1)
        + ",\"actions\":[\"read\"],\"explain\":true}").json();
    JsonNode trace = j.get("results").get(0).get("trace");
    assertThat(trace).isNotEmpty();
    assertThat(trace.toString()).contains("owner-access").contains("\"status\":\"applied\"");
  }

  @Test
  void entitiesAreAccepted() {
    TestServer.Response r = s.post("/v1/decisions", "{\"principal\":" + PRINCIPAL + ",\"resources\":" + resources(1)
        + ",\"actions\":[\"read\"],\"entities\":[{\"uid\":{\"type\":\"Group\",\"id\":\"g\"},\"attrs\":{},"
        + "\"parents\":[]}]}");
    assertThat(r.status()).isEqualTo(200);
    TestServer.Response bad = s.post("/v1/decisions", "{\"principal\":" + PRINCIPAL + ",\"resources\":"
        + resources(1) + ",\"actions\":[\"read\"],\"entities\":[{\"uid\":{\"type\":\"Group\"}}]}");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("error").get("details").get("path").asText()).isEqualTo("$.entities[0].uid.id");
  }

  @Test
  void limitsAreEnforcedWithTooManyItems() {
    TestServer.Response resources = s.post("/v1/decisions", "{\"principal\":" + PRINCIPAL + ",\"resources\":"
        + resources(101) + ",\"actions\":[\"read\"]}");
    assertThat(resources.status()).isEqualTo(413);
    assertThat(resources.json().get("error").get("code").asText()).isEqualTo("too_many_items");
    assertThat(resources.json().get("error").get("details").get("path").asText()).isEqualTo("$.resources");
    assertThat(resources.json().get("error").get("details").get("limit").asInt()).isEqualTo(100);
    TestServer.Response acts = s.post("/v1/decisions", "{\"principal\":" + PRINCIPAL + ",\"resources\":"
        + resources(1) + ",\"actions\":" + actions(21) + "}");
    assertThat(acts.status()).isEqualTo(413);
    assertThat(acts.json().get("error").get("details").get("path").asText()).isEqualTo("$.actions");
    TestServer.Response pairs = s.post("/v1/decisions", "{\"principal\":" + PRINCIPAL + ",\"resources\":"
        + resources(26) + ",\"actions\":" + actions(20) + "}");
    assertThat(pairs.status()).isEqualTo(413);
    assertThat(pairs.json().get("error").get("message").asText()).contains("500");
    TestServer.Response ok = s.post("/v1/decisions", "{\"principal\":" + PRINCIPAL + ",\"resources\":"
        + resources(25) + ",\"actions\":" + actions(20) + "}");
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.json().get("results")).hasSize(500);
  }

  @Test
  void wrongShapesNameTheirPath() {
    assertPath("{\"principal\":" + PRINCIPAL + ",\"resources\":[{\"id\":\"x\"}],\"actions\":[\"read\"]}",
        "$.resources[0].type");
    assertPath("{\"principal\":" + PRINCIPAL + ",\"resources\":" + resources(1) + ",\"actions\":[\"read\",3]}",
        "$.actions[1]");
    assertPath("{\"principal\":{\"roles\":[]},\"resources\":" + resources(1) + ",\"actions\":[\"read\"]}",
        "$.principal.id");
    assertPath("{\"principal\":" + PRINCIPAL + ",\"resources\":" + resources(1) + ",\"actions\":[\"read\"],"
        + "\"context\":[]}", "$.context");
    assertPath("{\"principal\":" + PRINCIPAL + ",\"resources\":" + resources(1) + ",\"actions\":[\"read\"],"
        + "\"explain\":\"yes\"}", "$.explain");
    assertPath("{\"principal\":" + PRINCIPAL + ",\"actions\":[\"read\"]}", "$.resources");
  }

  private static void assertPath(String body, String path) {
    TestServer.Response r = s.post("/v1/decisions", body);
    assertThat(r.status()).as(body).isEqualTo(400);
    assertThat(r.json().get("error").get("code").asText()).isEqualTo("invalid_request");
    assertThat(r.json().get("error").get("details").get("path").asText()).isEqualTo(path);
  }
}
