package dev.verdict.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.server.auth.ApiKey;
import dev.verdict.server.auth.ApiKeys;
import dev.verdict.server.auth.Scope;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With API keys configured: decide vs admin scopes, 401 and 403, both header forms. */
class ApiKeyAuthTest {
  static final String DECIDE_KEY = "decide-key-0123456789abcdef";
  static final String ADMIN_KEY = "admin-key-0123456789abcdef";

  @TempDir
  static Path tmp;
  static TestServer s;

  @BeforeAll
  static void start() throws Exception {
    s = new TestServer(tmp, c -> c.withApiKeys(List.of(
        new ApiKey("billing", ApiKeys.digest(DECIDE_KEY), Set.of(Scope.DECIDE)),
        new ApiKey("ops", ApiKeys.digest(ADMIN_KEY), Set.of(Scope.ADMIN)))));
  }

  @AfterAll
  static void stop() {
    s.close();
  }

  static final String BODY = "{\"subject\":" + TestServer.subject("alice") + ",\"resource\":"
      + TestServer.account("a1", "alice") + ",\"action\":{\"name\":\"read\"}}";

  @Test
  void decisionsNeedAKey() {
    TestServer.Response none = s.post("/access/v1/evaluation", BODY);
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.json().get("error").get("code").asText()).isEqualTo("unauthenticated");
    assertThat(none.header("WWW-Authenticate")).isEqualTo("ApiKey");
    TestServer.Response wrong = s.post("/access/v1/evaluation", BODY, "X-API-Key", "not-a-key-at-all-1234");
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.body()).doesNotContain("not-a-key-at-all-1234");
    assertThat(s.post("/access/v1/evaluation", BODY, "Authorization", "ApiKey " + DECIDE_KEY).status()).isEqualTo(200);
    assertThat(s.post("/access/v1/evaluation", BODY, "X-API-Key", DECIDE_KEY).status()).isEqualTo(200);
    assertThat(s.post("/v1/decisions", "{\"principal\":{\"id\":\"a\"},\"resources\":[{\"type\":\"Account\","
        + "\"id\":\"x\"}],\"actions\":[\"read\"]}", "X-API-Key", ADMIN_KEY).status()).isEqualTo(200);
  }

  @Test
  void theCallerNameIsLogged() throws Exception {
    s.post("/access/v1/evaluation", BODY, "X-API-Key", DECIDE_KEY, "X-Request-ID", "who-is-it");
    String line = DecisionLogTest.awaitLine(s.decisionLog, "who-is-it");
    assertThat(TestServer.JSON.readTree(line).get("caller").asText()).isEqualTo("billing");
    assertThat(java.nio.file.Files.readString(s.decisionLog)).doesNotContain(DECIDE_KEY).doesNotContain(ADMIN_KEY);
  }

  @Test
  void adminEndpointsNeedTheAdminScope() {
    assertThat(s.get("/v1/policies").status()).isEqualTo(401);
    TestServer.Response forbidden = s.get("/v1/policies", "X-API-Key", DECIDE_KEY);
    assertThat(forbidden.status()).isEqualTo(403);
    assertThat(forbidden.json().get("error").get("code").asText()).isEqualTo("forbidden");
    assertThat(forbidden.json().get("error").get("message").asText()).contains("billing").contains("admin");
    assertThat(s.post("/v1/policies/reload", "", "X-API-Key", DECIDE_KEY).status()).isEqualTo(403);
    assertThat(s.post("/v1/policies/reload", "").status()).isEqualTo(401);
    TestServer.Response ok = s.get("/v1/policies", "Authorization", "apikey " + ADMIN_KEY);
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.json().get("ruleCount").asInt()).isEqualTo(4);
    TestServer.Response reload = s.post("/v1/policies/reload", "", "X-API-Key", ADMIN_KEY);
    assertThat(reload.status()).isEqualTo(200);
    assertThat(reload.json().get("ok").booleanValue()).isTrue();
    assertThat(reload.json().get("changed").booleanValue()).isFalse();
  }

  @Test
  void probesAndMetadataStayOpenAndMetricsAreOpenOnLoopback() {
    assertThat(s.get("/health/live").status()).isEqualTo(200);
    assertThat(s.get("/health/ready").status()).isEqualTo(200);
    assertThat(s.get("/.well-known/authzen-configuration").status()).isEqualTo(200);
    assertThat(s.get("/metrics").status()).isEqualTo(200);
  }
}
