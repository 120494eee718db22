package dev.verdict.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.lang.mask.FieldMaskCodec;
import dev.verdict.server.auth.ApiKey;
import dev.verdict.server.auth.ApiKeys;
import dev.verdict.server.auth.Scope;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /v1/gateway/check} and the Envoy mode over real HTTP, with real tokens and the banking set. */
class GatewayCheckTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir
  Path tmp;
  GatewayFixture gw;

  @BeforeEach
  void start() throws Exception {
    gw = new GatewayFixture(tmp);
  }

  @AfterEach
  void stop() {
    gw.close();
  }

  static HttpResponse<String> send(String url, String method, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
        .method(method, HttpRequest.BodyPublishers.noBody());
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    try {
      return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private HttpResponse<String> check(String method, String uri, String token, String... more) {
    List<String> h = new java.util.ArrayList<>(List.of("X-Original-Method", method, "X-Original-URI", uri));
    if (token != null) {
      h.addAll(List.of("Authorization", "Bearer " + token));
    }
    h.addAll(List.of(more));
    return send(gw.base() + "/v1/gateway/check", "GET", h.toArray(new String[0]));
  }

  private static JsonNode json(HttpResponse<String> r) throws IOException {
    return JSON.readTree(r.body());
  }

  private static String header(HttpResponse<String> r, String name) {
    return r.headers().firstValue(name).orElse(null);
  }

  @Test
  void anOwnerReadingHerAccountIsLetThroughWithTheMasks() throws Exception {
    HttpResponse<String> r = check("GET", "/accounts/a1?expand=holder", GatewayFixture.token("alice", "customer"));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(header(r, "X-Verdict-Decision-Id")).matches("[0-9a-f]{32}");
    assertThat(header(r, "X-Verdict-Field-Mask")).isEqualTo("holder.ssn=partial(4)");
    assertThat(FieldMaskCodec.decodeRead(header(r, "X-Verdict-Field-Mask")).effects()).containsOnlyKeys("holder.ssn");
    assertThat(header(r, "X-Verdict-Write-Deny")).isEqualTo("balance=deny;owner=deny;tenant=deny");
    assertThat(header(r, "RateLimit-Limit")).isNull();
    JsonNode body = json(r);
    assertThat(body.get("decision").asBoolean()).isTrue();
    assertThat(body.get("reasons").toString()).isEqualTo("[\"owner-access\"]");
    assertThat(body.get("decisionId").asText()).isEqualTo(header(r, "X-Verdict-Decision-Id"));
  }

  @Test
  void aMissingTokenIsChallengedWithoutAnError() throws Exception {
    HttpResponse<String> r = check("GET", "/accounts/a1", null);

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(header(r, "WWW-Authenticate")).isEqualTo("Bearer");
    assertThat(json(r).at("/error/details/reason").asText()).isEqualTo("missing");
  }

  @Test
  void expiredUnsignedAndUnknownKeyTokensAreInvalid() throws Exception {
    Map<String, Object> expired = GatewayFixture.claims("alice", "customer");
    expired.put("exp", java.time.Instant.now().getEpochSecond() - 3600);
    String expiredToken = GatewayFixture.sign(GatewayFixture.KEY, expired);
    Map<String, String> cases = Map.of(
        expiredToken, "expired",
        GatewayFixture.unsigned(GatewayFixture.claims("alice", "admin")), "unsupported_algorithm",
        GatewayFixture.sign(GatewayFixture.OTHER_KEY, GatewayFixture.claims("alice", "customer")), "unknown_key");

    for (Map.Entry<String, String> c : cases.entrySet()) {
      HttpResponse<String> r = check("GET", "/accounts/a1", c.getKey());
      assertThat(r.statusCode()).as(c.getValue()).isEqualTo(401);
      assertThat(header(r, "WWW-Authenticate")).isEqualTo("Bearer error=\"invalid_token\"");
      assertThat(json(r).at("/error/details/reason").asText()).isEqualTo(c.getValue());
      assertThat(r.body()).doesNotContain(c.getKey());
    }
    String metrics = send(gw.base() + "/metrics", "GET").body();
    assertThat(metrics).contains("verdict_jwt_failures_total{reason=\"expired\"} 1.0")
        .contains("verdict_jwt_failures_total{reason=\"unknown_key\"} 1.0")
        .contains("verdict_jwt_failures_total{reason=\"unsupported_algorithm\"} 1.0");
    assertThat(gw.stderr()).contains("bearer token refused (expired)").doesNotContain(expiredToken);
  }

  @Test
  void aDenyIsForbiddenWithItsReasonAndLogged() throws Exception {
    String token = GatewayFixture.token("bob", "customer");
    HttpResponse<String> r = check("GET", "/accounts/a1", token);

    assertThat(r.statusCode()).isEqualTo(403);
    JsonNode body = json(r);
    assertThat(body.get("outcome").asText()).isEqualTo("deny");
    assertThat(body.get("message").asText()).isEqualTo("no rule permits this request");
    assertThat(header(r, "X-Verdict-Field-Mask")).isNull();
    String log = awaitLog(header(r, "X-Verdict-Decision-Id"));
    assertThat(log).contains("\"endpoint\":\"gateway\"").contains("\"decision\":\"deny\"")
        .contains("\"resource\":{\"type\":\"Account\",\"id\":\"a1\"}").doesNotContain(token);
  }

  @Test
  void unroutedPathsAndTraversalAreForbidden() throws Exception {
    String token = GatewayFixture.token("alice", "customer");
    Map<String, String> cases = Map.of(
        "/admin/users", "no-route",
        "/accounts/a2/../a1", "refused-path",
        "/accounts/%2e%2e/a1", "refused-path",
        "/accounts", "no-route");

    for (Map.Entry<String, String> c : cases.entrySet()) {
      HttpResponse<String> r = check("GET", c.getKey(), token);
      assertThat(r.statusCode()).as(c.getKey()).isEqualTo(403);
      assertThat(json(r).get("reasons").get(0).asText()).as(c.getKey()).isEqualTo(c.getValue());
      assertThat(awaitLog(header(r, "X-Verdict-Decision-Id"))).contains("\"reasons\":[\"" + c.getValue() + "\"]")
          .doesNotContain(token);
    }
    HttpResponse<String> wrongMethod = check("DELETE", "/accounts/a1", token);
    assertThat(wrongMethod.statusCode()).isEqualTo(403);
    assertThat(json(wrongMethod).get("reasons").get(0).asText()).isEqualTo("method-not-allowed");
  }

  @Test
  void theSixthTransferWithinAMinuteIsRateLimited() throws Exception {
    String token = GatewayFixture.token("alice", "customer");
    for (int i = 1; i <= 5; i++) {
      HttpResponse<String> r = check("POST", "/accounts/a1/transfers", token);
      assertThat(r.statusCode()).as("transfer " + i).isEqualTo(200);
      assertThat(header(r, "RateLimit-Limit")).isEqualTo("5");
      assertThat(header(r, "RateLimit-Remaining")).isEqualTo(Integer.toString(5 - i));
      assertThat(Long.parseLong(header(r, "RateLimit-Reset"))).isBetween(1L, 60L);
    }
    HttpResponse<String> sixth = check("POST", "/accounts/a1/transfers", token);

    assertThat(sixth.statusCode()).isEqualTo(429);
    assertThat(Long.parseLong(header(sixth, "Retry-After"))).isBetween(1L, 60L);
    assertThat(header(sixth, "RateLimit-Remaining")).isEqualTo("0");
    assertThat(json(sixth).get("outcome").asText()).isEqualTo("rate_limited");
    assertThat(awaitLog(header(sixth, "X-Verdict-Decision-Id"))).contains("\"intent\":\"funds.transfer\"")
        .contains("\"decision\":\"rate_limited\"");
  }

  @Test
  void withoutTheMfaClaimATransferIsForbidden() throws Exception {
    Map<String, Object> claims = GatewayFixture.claims("alice", "customer");
    claims.remove("mfa");
    HttpResponse<String> r = check("POST", "/accounts/a1/transfers", GatewayFixture.sign(GatewayFixture.KEY, claims));

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(json(r).get("reasons").toString()).contains("transfer-needs-mfa");
    // the forbid applied because its condition failed: visible to the gateway, the log and metrics
    assertThat(header(r, "X-Verdict-Errors")).startsWith("missing_attribute;rule=\"")
        .contains("transfer-needs-mfa\";at=\"").contains("accounts.verdict:31:");
    assertThat(json(r).at("/errors/0/code").asText()).isEqualTo("missing_attribute");
    String log = awaitLog(header(r, "X-Verdict-Decision-Id"));
    assertThat(log).contains("\"errors\":[{\"code\":\"missing_attribute\",\"rule\":\"")
        .contains("accounts.verdict:31:").doesNotContain("context.mfa` is missing");
    assertThat(send(gw.base() + "/metrics", "GET").body())
        .containsPattern("verdict_evaluation_errors_total\\{code=\"missing_attribute\",policy=\"[a-z_-]+\"} [1-9]");
  }

  @Test
  void envoyModeTakesTheMethodAndThePathFromTheRequest() throws Exception {
    String token = GatewayFixture.token("alice", "customer");
    HttpResponse<String> read = send(gw.base() + "/v1/gateway/envoy/accounts/a1", "GET",
        "Authorization", "Bearer " + token);
    HttpResponse<String> transfer = send(gw.base() + "/v1/gateway/envoy/accounts/a1/transfers", "POST",
        "Authorization", "Bearer " + token);
    HttpResponse<String> delete = send(gw.base() + "/v1/gateway/envoy/accounts/a1", "DELETE",
        "Authorization", "Bearer " + token);
    HttpResponse<String> anonymous = send(gw.base() + "/v1/gateway/envoy/accounts/a1", "GET");

    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(header(read, "X-Verdict-Field-Mask")).isEqualTo("holder.ssn=partial(4)");
    assertThat(transfer.statusCode()).isEqualTo(200);
    assertThat(header(transfer, "RateLimit-Limit")).isEqualTo("5");
    assertThat(delete.statusCode()).isEqualTo(403);
    assertThat(anonymous.statusCode()).isEqualTo(401);
  }

  @Test
  void traefikForwardedHeadersAreUnderstood() throws Exception {
    HttpResponse<String> r = send(gw.base() + "/v1/gateway/check", "GET",
        "X-Forwarded-Method", "PATCH", "X-Forwarded-Uri", "/accounts/a1",
        "Authorization", "Bearer " + GatewayFixture.token("alice", "customer"));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(header(r, "X-Verdict-Write-Deny")).isEqualTo("balance=deny;owner=deny;tenant=deny");
  }

  @Test
  void twoHeaderPairsThatDisagreeAreABadRequest() throws Exception {
    String token = GatewayFixture.token("alice", "customer");
    HttpResponse<String> uris = check("GET", "/accounts/a1", token, "X-Forwarded-Method", "GET",
        "X-Forwarded-Uri", "/accounts/a2");
    HttpResponse<String> methods = check("GET", "/accounts/a1", token, "X-Forwarded-Method", "DELETE",
        "X-Forwarded-Uri", "/accounts/a1");
    HttpResponse<String> agreeing = check("GET", "/accounts/a1", token, "X-Forwarded-Method", "GET",
        "X-Forwarded-Uri", "/accounts/a1");

    assertThat(uris.statusCode()).isEqualTo(400);
    assertThat(json(uris).at("/error/message").asText()).contains("naming different requests");
    assertThat(methods.statusCode()).isEqualTo(400);
    assertThat(agreeing.statusCode()).isEqualTo(200);
  }

  @Test
  void aGatewayThatSendsNoOriginalRequestGetsABadRequest() throws Exception {
    String token = GatewayFixture.token("alice", "customer");
    HttpResponse<String> none = send(gw.base() + "/v1/gateway/check", "GET", "Authorization", "Bearer " + token);
    HttpResponse<String> half = send(gw.base() + "/v1/gateway/check", "GET", "X-Original-URI", "/accounts/a1",
        "Authorization", "Bearer " + token);
    HttpResponse<String> lower = check("get", "/accounts/a1", token);

    assertThat(none.statusCode()).isEqualTo(400);
    assertThat(json(none).at("/error/code").asText()).isEqualTo("invalid_request");
    assertThat(half.statusCode()).isEqualTo(400);
    assertThat(json(half).at("/error/message").asText()).contains("`X-Original-Method`");
    assertThat(lower.statusCode()).isEqualTo(400);
  }

  @Test
  void theJwksIsReloadedWithThePolicies(@TempDir Path other) throws Exception {
    gw.close();
    gw = new GatewayFixture(other, c -> c.withApiKeys(List.of(
        new ApiKey("nginx", ApiKeys.digest("gateway-key-0123456789"), Set.of(Scope.DECIDE)),
        new ApiKey("ops", ApiKeys.digest("admin-key-0123456789ab"), Set.of(Scope.ADMIN)))));
    String rotated = GatewayFixture.sign(GatewayFixture.OTHER_KEY, GatewayFixture.claims("alice", "customer"));
    String key = "gateway-key-0123456789";

    assertThat(check("GET", "/accounts/a1", rotated, "X-API-Key", key).statusCode()).isEqualTo(401);
    gw.writeJwks(GatewayFixture.KEY, GatewayFixture.OTHER_KEY);
    HttpResponse<String> reload = send(gw.base() + "/v1/policies/reload", "POST",
        "X-API-Key", "admin-key-0123456789ab");
    assertThat(reload.statusCode()).isEqualTo(200);
    assertThat(check("GET", "/accounts/a1", rotated, "X-API-Key", key).statusCode()).isEqualTo(200);
    assertThat(gw.stderr()).contains("JWKS reloaded: 2 signing keys loaded");

    HttpResponse<String> noKey = check("GET", "/accounts/a1", rotated);
    assertThat(noKey.statusCode()).isEqualTo(401);
    assertThat(header(noKey, "WWW-Authenticate")).isEqualTo("ApiKey");
    HttpResponse<String> withKey = check("GET", "/accounts/a1", rotated, "X-API-Key", key);
    assertThat(awaitLog(header(withKey, "X-Verdict-Decision-Id"))).contains("\"caller\":\"nginx\"");
  }

  @Test
  void theClientAddressIsThePeerUnlessForwardedForIsTrusted(@TempDir Path other) throws Exception {
    // logins are limited per context.ip: ten per minute from one address
    String token = GatewayFixture.token("alice", "customer");
    for (int i = 0; i < 10; i++) {
      assertThat(check("POST", "/sessions", token, "X-Forwarded-For", "203.0.113." + i).statusCode()).isEqualTo(200);
    }
    assertThat(check("POST", "/sessions", token, "X-Forwarded-For", "198.51.100.1").statusCode()).isEqualTo(429);

    gw.close();
    gw = new GatewayFixture(other, c -> c.withJwt(c.jwt(), true));
    for (int i = 0; i < 11; i++) {
      assertThat(check("POST", "/sessions", token, "X-Forwarded-For", "203.0.113." + i + ", 10.0.0.1")
          .statusCode()).isEqualTo(200);
    }
  }

  private String awaitLog(String decisionId) throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L; // the writer thread may wait long on a loaded machine
    while (System.nanoTime() < deadline) {
      if (Files.exists(gw.decisionLog)) {
        for (String line : Files.readAllLines(gw.decisionLog)) {
          if (line.contains(decisionId)) {
            return line;
          }
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no decision log line for " + decisionId);
  }
}
