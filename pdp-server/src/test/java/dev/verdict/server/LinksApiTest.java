package dev.verdict.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verdict.server.auth.ApiKey;
import dev.verdict.server.auth.ApiKeys;
import dev.verdict.server.auth.Scope;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Links over the admin API on a real server: create one, decide with it (AuthZEN and native),
 * refuse bad ones with their JSON path, keep it across reloads, refuse a reload that drops its
 * template, delete it and decide again.
 */
class LinksApiTest {
  static final String KEY = "admin-key-for-links-test-123";
  static final String DECIDE_KEY = "decide-key-for-links-test-123";
  static final String TEMPLATE = """
      policy sharing on Account {
        @id("delegate")
        permit read, transfer when principal == ?principal when resource == ?resource
      }
      """;
  static final String LINK = """
      {"id": "a1-bob", "template": "delegate",
       "slots": {"principal": {"type": "User", "id": "bob"}, "resource": {"type": "Account", "id": "a1"}}}
      """;
  static final String EVAL = "{\"subject\":" + TestServer.subject("bob", "customer") + ",\"resource\":"
      + TestServer.account("a1", "alice") + ",\"action\":{\"name\":\"read\"}}";
  static final String NATIVE = "{\"principal\":{\"id\":\"bob\",\"roles\":[\"customer\"],\"tenant\":\"t1\"},"
      + "\"resources\":[{\"type\":\"Account\",\"id\":\"a1\",\"owner\":\"alice\",\"tenant\":\"t1\"},"
      + "{\"type\":\"Account\",\"id\":\"a2\",\"owner\":\"alice\",\"tenant\":\"t1\"}],\"actions\":[\"read\"]}";

  static TestServer.Response delete(TestServer s, String path) {
    return s.send(HttpRequest.newBuilder(URI.create(s.base() + path)).DELETE(), "X-API-Key", KEY);
  }

  static JsonNode decide(TestServer s) {
    return s.post("/access/v1/evaluation", EVAL, "X-API-Key", DECIDE_KEY).json();
  }

  @Test
  void aLinkIsCreatedDecidedKeptAcrossReloadsAndDeleted(@TempDir Path tmp) throws Exception {
    try (TestServer s = new TestServer(tmp, c -> c.withReloadInterval(0).withApiKeys(List.of(
        new ApiKey("ops", ApiKeys.digest(KEY), Set.of(Scope.ADMIN)),
        new ApiKey("app", ApiKeys.digest(DECIDE_KEY), Set.of(Scope.DECIDE)))))) {
      Files.writeString(s.policies.resolve("sharing.verdict"), TEMPLATE);
      assertThat(s.post("/v1/policies/reload", "", "X-API-Key", KEY).json().get("ok").booleanValue()).isTrue();
      assertThat(decide(s).get("decision").booleanValue()).as("a template alone decides nothing").isFalse();

      assertThat(s.post("/v1/policies/links", LINK, "X-API-Key", DECIDE_KEY).status()).as("admin scope").isEqualTo(403);
      TestServer.Response created = s.post("/v1/policies/links", LINK, "X-API-Key", KEY);
      assertThat(created.status()).as(created.body()).isEqualTo(201);
      assertThat(created.json().get("id").asText()).isEqualTo("a1-bob");
      JsonNode allowed = decide(s);
      assertThat(allowed.get("decision").booleanValue()).isTrue();
      assertThat(allowed.get("context").get("reasons").get(0).asText()).isEqualTo("delegate#a1-bob");
      assertThat(allowed.get("context").get("policy_version").asText()).isEqualTo(created.json().get("version").asText());
      JsonNode results = s.post("/v1/decisions", NATIVE, "X-API-Key", DECIDE_KEY).json().get("results");
      assertThat(results.get(0).get("decision").asText()).isEqualTo("allow");
      assertThat(results.get(0).get("reasons").get(0).asText()).isEqualTo("delegate#a1-bob");
      assertThat(results.get(1).get("decision").asText()).as("only the linked account").isEqualTo("deny");

      JsonNode listed = s.get("/v1/policies", "X-API-Key", KEY).json();
      assertThat(listed.get("templates").get(0).get("id").asText()).isEqualTo("delegate");
      assertThat(listed.get("templates").get(0).get("slots").toString())
          .isEqualTo("[\"principal == ?principal\",\"resource == ?resource\"]");
      assertThat(listed.get("links").get(0).get("id").asText()).isEqualTo("a1-bob");
      assertThat(listed.get("links").get(0).get("source").asText()).isEqualTo("api");

      refused(s, LINK.replace("a1-bob", "x").replace("\"delegate\"", "\"delegat\""), "$.template", "V1504", "did you mean `delegate`");
      refused(s, LINK.replace("a1-bob", "x").replace("\"Account\"", "\"User\""), "$.slots.resource.type", "V1505", "Account");
      refused(s, LINK, "$.id", "V1506", "give every link its own id");
      refused(s, "{\"id\": \"x\", \"template\": \"delegate\", \"slots\": {\"principal\": \"bob\"}}",
          "$.slots.principal", "V1503", "{\"type\": \"User\", \"id\": \"bob\"}");

      // a reload of changed files keeps the link
      Files.writeString(s.policies.resolve("extra.verdict"), "role auditor\n");
      JsonNode reloaded = s.post("/v1/policies/reload", "", "X-API-Key", KEY).json();
      assertThat(reloaded.get("ok").booleanValue()).isTrue();
      assertThat(reloaded.get("changed").booleanValue()).isTrue();
      assertThat(decide(s).get("decision").booleanValue()).isTrue();

      // a set without the template is refused while the link is kept; the old set keeps serving
      Files.delete(s.policies.resolve("sharing.verdict"));
      JsonNode refusedReload = s.post("/v1/policies/reload", "", "X-API-Key", KEY).json();
      assertThat(refusedReload.get("ok").booleanValue()).isFalse();
      assertThat(refusedReload.get("diagnostics").toString()).contains("V1504").contains("a1-bob")
          .contains("DELETE /v1/policies/links/{id}");
      assertThat(decide(s).get("decision").booleanValue()).isTrue();

      TestServer.Response deleted = delete(s, "/v1/policies/links/a1-bob");
      assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
      assertThat(decide(s).get("decision").booleanValue()).isFalse();
      assertThat(delete(s, "/v1/policies/links/a1-bob").status()).isEqualTo(404);
      assertThat(s.post("/v1/policies/reload", "", "X-API-Key", KEY).json().get("ok").booleanValue())
          .as("without the link the set loads again").isTrue();
    }
  }

  private static void refused(TestServer s, String body, String path, String code, String help) {
    TestServer.Response r = s.post("/v1/policies/links", body, "X-API-Key", KEY);
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    JsonNode error = r.json().get("error");
    assertThat(error.get("code").asText()).isEqualTo("invalid_request");
    assertThat(error.get("details").get("path").asText()).isEqualTo(path);
    assertThat(error.get("details").get("diagnostic").asText()).isEqualTo(code);
    assertThat(error.get("message").asText() + " " + error.get("details").get("help").asText()).contains(help);
  }
}
