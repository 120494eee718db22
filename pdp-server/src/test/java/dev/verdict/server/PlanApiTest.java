package dev.verdict.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /v1/plan}: the query plan of a list endpoint, field by field, and its errors. */
class PlanApiTest {
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

  @Test
  void aCustomerMayReadTheAccountsSheOwnsInHerTenant() {
    TestServer.Response r = s.post("/v1/plan", "{\"principal\": {\"id\": \"alice\", \"roles\": [\"customer\"],"
        + " \"tenant\": \"t1\"}, \"resourceType\": \"Account\", \"action\": \"read\"}");

    assertThat(r.status()).isEqualTo(200);
    JsonNode j = r.json();
    assertThat(j.get("planVersion").asInt()).isEqualTo(1);
    assertThat(j.get("kind").asText()).isEqualTo("CONDITIONAL");
    assertThat(j.get("resourceType").asText()).isEqualTo("Account");
    assertThat(j.get("action").asText()).isEqualTo("read");
    assertThat(j.get("policyVersion").asText()).isEqualTo(s.server.store().current().orElseThrow().version());
    assertThat(j.get("rules").toString()).isEqualTo("[\"tenant-isolation\",\"owner-access\"]");
    assertThat(j.get("filter").toString()).isEqualTo("{\"op\":\"and\",\"args\":["
        + "{\"op\":\"==\",\"path\":[\"tenant\"],\"value\":\"t1\"},"
        + "{\"op\":\"==\",\"path\":[\"owner\"],\"value\":\"alice\"}]}");
  }

  @Test
  void anAdminMayReadEveryAccountOfHerTenantAndACustomerNone() {
    JsonNode admin = s.post("/v1/plan", "{\"principal\": {\"id\": \"root\", \"roles\": [\"admin\"], \"tenant\": \"t1\"},"
        + " \"resourceType\": \"Account\", \"action\": \"close\"}").json();
    assertThat(admin.get("kind").asText()).isEqualTo("CONDITIONAL");
    assertThat(admin.get("filter").toString()).isEqualTo("{\"op\":\"==\",\"path\":[\"tenant\"],\"value\":\"t1\"}");

    JsonNode nobody = s.post("/v1/plan", "{\"principal\": {\"id\": \"eve\", \"tenant\": \"t1\"},"
        + " \"resourceType\": \"Account\", \"action\": \"close\"}").json();
    assertThat(nobody.get("kind").asText()).isEqualTo("ALWAYS_DENIED");
    assertThat(nobody.get("filter").toString()).isEqualTo("{\"op\":\"false\"}");
    assertThat(nobody.get("rules")).isEmpty();
  }

  @Test
  void badRequestsNameTheMember() {
    TestServer.Response noType = s.post("/v1/plan", "{\"principal\": {\"id\": \"alice\"}, \"action\": \"read\"}");
    assertThat(noType.status()).isEqualTo(400);
    assertThat(noType.json().get("error").get("code").asText()).isEqualTo("invalid_request");
    assertThat(noType.json().get("error").get("details").get("path").asText()).isEqualTo("$.resourceType");

    TestServer.Response badPrincipal = s.post("/v1/plan", "{\"principal\": {\"id\": 7},"
        + " \"resourceType\": \"Account\", \"action\": \"read\"}");
    assertThat(badPrincipal.status()).isEqualTo(400);
    assertThat(badPrincipal.json().get("error").get("details").get("path").asText()).startsWith("$.principal");
    assertThat(badPrincipal.body()).doesNotContain("Exception");
  }

  @Test
  void aRuleFiltersCannotExpressIsAClear422(@TempDir Path own) throws Exception {
    try (TestServer t = new TestServer(own)) {
      java.nio.file.Files.writeString(t.policies.resolve("tags.verdict"),
          "policy tagged on Tag {\n  @id(\"many-tags\")\n  permit read when size(resource.labels) > 1\n}\n");
      assertThat(t.server.store().reload().toString()).doesNotContain("error");

      TestServer.Response r = t.post("/v1/plan", "{\"principal\": {\"id\": \"alice\"},"
          + " \"resourceType\": \"Tag\", \"action\": \"read\"}");

      assertThat(r.status()).isEqualTo(422);
      JsonNode e = r.json().get("error");
      assertThat(e.get("code").asText()).isEqualTo("plan_unsupported");
      assertThat(e.get("message").asText()).startsWith("rule many-tags: `size(resource.labels)` at ").contains("tags.verdict:3:20")
          .contains("plans support comparisons");
      assertThat(e.get("details").get("location").asText()).endsWith("tags.verdict:3:20");
    }
  }
}
