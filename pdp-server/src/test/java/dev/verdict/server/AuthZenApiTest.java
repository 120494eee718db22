package dev.verdict.server;

import static dev.verdict.server.TestServer.account;
import static dev.verdict.server.TestServer.subject;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The AuthZEN Authorization API 1.0 endpoints, shape by shape, over real HTTP. */
class AuthZenApiTest {
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

  static String evaluation(String subject, String resource, String action) {
    return "{\"subject\":" + subject + ",\"resource\":" + resource + ",\"action\":{\"name\":\"" + action
        + "\",\"properties\":{\"ignored\":true}}}";
  }

  @Test
  void allowCarriesReasonsMasksAndVersion() {
    TestServer.Response r = s.post("/access/v1/evaluation", evaluation(subject("alice", "customer"),
        account("a1", "alice"), "read"));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Type")).isEqualTo("application/json");
    JsonNode j = r.json();
    assertThat(j.get("decision").isBoolean()).isTrue();
    assertThat(j.get("decision").booleanValue()).isTrue();
    JsonNode c = j.get("context");
    assertThat(c.get("reasons")).hasSize(1);
    assertThat(c.get("reasons").get(0).asText()).isEqualTo("owner-access");
    assertThat(c.get("obligations")).hasSize(1);
    JsonNode mask = c.get("obligations").get(0);
    assertThat(mask.get("type").asText()).isEqualTo("field-mask");
    assertThat(mask.get("read").get("ssn").asText()).isEqualTo("partial(4)");
    assertThat(mask.get("write").toString()).isEqualTo("[\"owner\",\"tenant\"]");
    assertThat(c.get("fields").get("read").get("ssn").asText()).isEqualTo("partial(4)");
    assertThat(c.get("fields").get("write")).hasSize(2);
    assertThat(c.get("policy_version").asText()).startsWith("sha256:")
        .isEqualTo(s.server.store().current().orElseThrow().version());
    assertThat(c.has("rate")).isFalse();
    assertThat(c.get("decision_id").asText()).hasSize(32);
  }

  @Test
  void denyIsHttp200WithDecisionFalse() {
    TestServer.Response r = s.post("/access/v1/evaluation", evaluation(subject("bob", "customer"),
        account("a1", "alice"), "read"));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("decision").booleanValue()).isFalse();
    assertThat(r.json().get("context").get("reasons")).isEmpty();
    assertThat(r.json().get("context").has("obligations")).isFalse();
  }

  @Test
  void forbidReasonIsReported() {
    String other = "{\"type\":\"Account\",\"id\":\"x\",\"properties\":{\"owner\":\"alice\",\"tenant\":\"t2\"}}";
    JsonNode j = s.post("/access/v1/evaluation", evaluation(subject("alice", "admin"), other, "read")).json();
    assertThat(j.get("decision").booleanValue()).isFalse();
    assertThat(j.get("context").get("reasons").get(0).asText()).isEqualTo("tenant-isolation");
  }

  @Test
  void sixthTransferIsRateLimitedWithRateContext() {
    List<JsonNode> answers = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      answers.add(s.post("/access/v1/evaluation", evaluation(subject("carol", "customer"),
          account("c1", "carol"), "transfer")).json());
    }
    JsonNode first = answers.get(0).get("context").get("rate");
    assertThat(first.get("limit").asLong()).isEqualTo(5);
    assertThat(first.get("remaining").asLong()).isEqualTo(4);
    assertThat(first.get("retry_after").asLong()).isZero();
    assertThat(first.get("reset").asLong()).isPositive();
    assertThat(answers.get(4).get("decision").booleanValue()).isTrue();
    JsonNode sixth = answers.get(5);
    assertThat(sixth.get("decision").booleanValue()).isFalse();
    assertThat(sixth.get("context").get("outcome").asText()).isEqualTo("rate_limited");
    assertThat(sixth.get("context").get("rate").get("remaining").asLong()).isZero();
    assertThat(sixth.get("context").get("rate").get("retry_after").asLong()).isPositive();
  }

  @Test
  void requestIdIsEchoedOrGenerated() {
    String body = evaluation(subject("alice"), account("a1", "alice"), "read");
    assertThat(s.post("/access/v1/evaluation", body, "X-Request-ID", "req-42.a:b").header("X-Request-ID"))
        .isEqualTo("req-42.a:b");
    String generated = s.post("/access/v1/evaluation", body).header("X-Request-ID");
    assertThat(generated).matches("[0-9a-f]{32}");
    assertThat(s.post("/access/v1/evaluation", body, "X-Request-ID", "x".repeat(200)).header("X-Request-ID"))
        .matches("[0-9a-f]{32}");
    assertThat(s.post("/access/v1/evaluation", body, "X-Request-ID", "bad id{}").header("X-Request-ID"))
        .matches("[0-9a-f]{32}");
    assertThat(s.get("/nowhere", "X-Request-ID", "nf-1").header("X-Request-ID")).isEqualTo("nf-1");
  }

  @Test
  void invalidEvaluationNamesThePath() {
    TestServer.Response r = s.post("/access/v1/evaluation",
        "{\"subject\":{\"type\":\"User\"},\"resource\":" + account("a1", "alice") + ",\"action\":{\"name\":\"read\"}}");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("error").get("code").asText()).isEqualTo("invalid_request");
    assertThat(r.json().get("error").get("details").get("path").asText()).isEqualTo("$.subject.id");
    TestServer.Response p = s.post("/access/v1/evaluation", "{\"subject\":{\"type\":\"User\",\"id\":\"a\","
        + "\"properties\":{\"roles\":[null]}},\"resource\":" + account("a1", "alice") + ",\"action\":{\"name\":\"read\"}}");
    assertThat(p.json().get("error").get("details").get("path").asText()).isEqualTo("$.subject.properties.roles[0]");
    TestServer.Response a = s.post("/access/v1/evaluation", "{\"subject\":" + subject("a") + ",\"resource\":"
        + account("a1", "alice") + ",\"action\":{}}");
    assertThat(a.json().get("error").get("details").get("path").asText()).isEqualTo("$.action.name");
  }

  @Test
  void entitiesExtensionFeedsTheEntityGraph() {
    String body = "{\"subject\":" + subject("alice", "customer") + ",\"resource\":" + account("a1", "alice")
        + ",\"action\":{\"name\":\"read\"},\"entities\":[{\"uid\":{\"type\":\"Group\",\"id\":\"g\"},\"attrs\":{}}]}";
    assertThat(s.post("/access/v1/evaluation", body).json().get("decision").booleanValue()).isTrue();
    String bad = body.replace("\"entities\":[{", "\"entities\":[7,{");
    assertThat(s.post("/access/v1/evaluation", bad).json().get("error").get("details").get("path").asText())
        .isEqualTo("$.entities[0]");
  }

  static String batch(String semantic) {
    return "{\"subject\":" + subject("alice", "customer") + ",\"action\":{\"name\":\"read\"},"
        + (semantic == null ? "" : "\"options\":{\"evaluations_semantic\":\"" + semantic + "\"},")
        + "\"evaluations\":[{\"resource\":" + account("a1", "alice") + "},{\"resource\":" + account("a2", "bob")
        + "},{\"resource\":" + account("a3", "alice") + "}]}";
  }

  static List<Boolean> decisions(JsonNode j) {
    List<Boolean> out = new ArrayList<>();
    j.get("evaluations").forEach(e -> out.add(e.get("decision").booleanValue()));
    return out;
  }

  @Test
  void evaluationsExecuteAllByDefault() {
    TestServer.Response r = s.post("/access/v1/evaluations", batch(null));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().has("decision")).isFalse();
    assertThat(decisions(r.json())).containsExactly(true, false, true);
    assertThat(decisions(s.post("/access/v1/evaluations", batch("execute_all")).json()))
        .containsExactly(true, false, true);
    JsonNode first = r.json().get("evaluations").get(0);
    assertThat(first.get("context").get("reasons").get(0).asText()).isEqualTo("owner-access");
  }

  @Test
  void denyOnFirstDenyStopsAtTheDeny() {
    assertThat(decisions(s.post("/access/v1/evaluations", batch("deny_on_first_deny")).json()))
        .containsExactly(true, false);
  }

  @Test
  void permitOnFirstPermitStopsAtThePermit() {
    assertThat(decisions(s.post("/access/v1/evaluations", batch("permit_on_first_permit")).json()))
        .containsExactly(true);
  }

  @Test
  void itemsOverrideTopLevelDefaults() {
    String body = "{\"subject\":" + subject("alice", "customer") + ",\"action\":{\"name\":\"read\"},"
        + "\"resource\":" + account("a1", "alice") + ",\"evaluations\":[{},{\"subject\":" + subject("bob", "customer")
        + "},{\"action\":{\"name\":\"delete\"}},{\"subject\":" + subject("sam", "support") + "}]}";
    assertThat(decisions(s.post("/access/v1/evaluations", body).json())).containsExactly(true, false, false, true);
  }

  @Test
  void itemErrorsAreClosedDecisionsWithContextError() {
    String body = "{\"subject\":" + subject("alice", "customer") + ",\"action\":{\"name\":\"read\"},"
        + "\"evaluations\":[{\"resource\":" + account("a1", "alice") + "},{\"resource\":{\"type\":\"Account\"}},"
        + "{},5,{\"resource\":" + account("a3", "alice") + "}]}";
    TestServer.Response r = s.post("/access/v1/evaluations", body);
    assertThat(r.status()).isEqualTo(200);
    JsonNode ev = r.json().get("evaluations");
    assertThat(decisions(r.json())).containsExactly(true, false, false, false, true);
    JsonNode err = ev.get(1).get("context").get("error");
    assertThat(err.get("status").asInt()).isEqualTo(400);
    assertThat(err.get("code").asText()).isEqualTo("invalid_request");
    assertThat(err.get("path").asText()).isEqualTo("$.evaluations[1].resource.id");
    assertThat(err.get("message").asText()).isNotBlank();
    assertThat(ev.get(2).get("context").get("error").get("path").asText()).isEqualTo("$.resource");
    assertThat(ev.get(3).get("context").get("error").get("path").asText()).isEqualTo("$.evaluations[3]");
    String stop = body.replace("\"evaluations\":", "\"options\":{\"evaluations_semantic\":\"deny_on_first_deny\"},"
        + "\"evaluations\":");
    assertThat(s.post("/access/v1/evaluations", stop).json().get("evaluations")).hasSize(2);
  }

  @Test
  void evaluationsWithoutItemsIsASingleEvaluation() {
    JsonNode j = s.post("/access/v1/evaluations", evaluation(subject("alice"), account("a1", "alice"), "read")
        .replace("}}}", "}},\"evaluations\":[]}")).json();
    assertThat(j.get("decision").booleanValue()).isTrue();
    assertThat(j.has("evaluations")).isFalse();
  }

  @Test
  void badSemanticAndTooManyItemsAreRefused() {
    TestServer.Response bad = s.post("/access/v1/evaluations", batch("sometimes"));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("error").get("details").get("path").asText()).isEqualTo("$.options.evaluations_semantic");
    StringBuilder many = new StringBuilder("{\"subject\":" + subject("a") + ",\"action\":{\"name\":\"read\"},"
        + "\"evaluations\":[");
    for (int i = 0; i < 501; i++) {
      many.append(i == 0 ? "" : ",").append("{\"resource\":").append(account("r" + i, "a")).append('}');
    }
    TestServer.Response r = s.post("/access/v1/evaluations", many.append("]}").toString());
    assertThat(r.status()).isEqualTo(413);
    assertThat(r.json().get("error").get("code").asText()).isEqualTo("too_many_items");
  }

  @Test
  void searchActionListsPermittedActions() {
    String body = "{\"subject\":" + subject("alice", "customer") + ",\"resource\":" + account("a1", "alice") + "}";
    TestServer.Response r = s.post("/access/v1/search/action", body);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("results").toString())
        .isEqualTo("[{\"name\":\"read\"},{\"name\":\"transfer\"},{\"name\":\"update\"}]");
    assertThat(r.json().get("page").get("next_token").asText()).isEmpty();
    String support = "{\"subject\":" + subject("sam", "support") + ",\"resource\":" + account("a1", "alice") + "}";
    assertThat(s.post("/access/v1/search/action", support).json().get("results").toString())
        .isEqualTo("[{\"name\":\"read\"}]");
    // Asking consumes no budget: the owner may still make five transfers.
    for (int i = 0; i < 10; i++) {
      s.post("/access/v1/search/action", body);
    }
    assertThat(s.post("/access/v1/evaluation", evaluation(subject("alice", "customer"), account("a1", "alice"),
        "transfer")).json().get("context").get("rate").get("remaining").asLong()).isEqualTo(4);
  }

  @Test
  void wellKnownConfigurationListsTheEndpoints() {
    TestServer.Response r = s.get("/.well-known/authzen-configuration");
    assertThat(r.status()).isEqualTo(200);
    JsonNode j = r.json();
    String base = "http://127.0.0.1:" + s.server.port();
    assertThat(j.get("policy_decision_point").asText()).isEqualTo(base);
    assertThat(j.get("access_evaluation_endpoint").asText()).isEqualTo(base + "/access/v1/evaluation");
    assertThat(j.get("access_evaluations_endpoint").asText()).isEqualTo(base + "/access/v1/evaluations");
    assertThat(j.get("search_action_endpoint").asText()).isEqualTo(base + "/access/v1/search/action");
    // every search is served now, so every search is advertised
    assertThat(j.get("search_subject_endpoint").asText()).isEqualTo(base + "/access/v1/search/subject");
    assertThat(j.get("search_resource_endpoint").asText()).isEqualTo(base + "/access/v1/search/resource");
  }
}
