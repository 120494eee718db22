package dev.verdict.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, gaps 9 and 11 through a real server: routes with a fixed id, public routes decided
 * for the anonymous principal and limited per client address before any login, and the request
 * body checked against the fields the caller may not write (Envoy's {@code with_request_body},
 * Traefik's {@code forwardBody}).
 */
class GatewayRouteReachTest {
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private static final String AUTH = """
      entity AuthApi {
        open: Bool
      }

      entity Anonymous

      @public
      route POST "/auth/signin"  -> AuthApi["signin"].signin intent "auth.signin"
      route POST "/auth/signout" -> AuthApi["signout"].signout
      @public
      route GET  "/auth/help"    -> AuthApi[route].help

      limit signins on intent "auth.signin" by context.ip {
        2 per 1m
      }

      @public
      route POST "/auth/reset"   -> AuthApi[route].reset intent "auth.reset"

      limit resets on intent "auth.reset" by context.ip {
        2 per 1d window
      }

      policy auth on AuthApi {
        permit signin when principal is Anonymous and resource.open
        permit signout
        permit help when resource.id == "/auth/help"
        permit reset
      }
      """;

  private static final String AUTH_DATA = """
      [{"uid": {"type": "AuthApi", "id": "signin"}, "attrs": {"open": true}, "parents": []}]
      """;

  @TempDir
  Path tmp;
  GatewayFixture gw;

  @BeforeEach
  void start() throws Exception {
    gw = new GatewayFixture(tmp, config -> {
      try {
        Files.writeString(tmp.resolve("banking").resolve("zz_auth.verdict"), AUTH);
        Files.writeString(tmp.resolve("banking").resolve("zz_auth.entities.json"), AUTH_DATA);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return config;
    });
  }

  @AfterEach
  void stop() {
    gw.close();
  }

  private HttpResponse<String> check(String method, String uri, String token) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(gw.base() + "/v1/gateway/check"))
        .timeout(Duration.ofSeconds(20)).header("X-Original-Method", method).header("X-Original-URI", uri);
    if (token != null) {
      r.header("Authorization", "Bearer " + token);
    }
    return CLIENT.send(r.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> envoy(String method, String path, String contentType, String body,
      String... headers) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(gw.base() + "/v1/gateway/envoy" + path))
        .timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + GatewayFixture.token("alice", "customer"));
    if (contentType != null) {
      r.header("Content-Type", contentType);
    }
    if (headers.length > 0) {
      r.headers(headers);
    }
    r.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return CLIENT.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aPublicRouteIsDecidedWithoutATokenAndLimitedPerClientAddress() throws Exception {
    HttpResponse<String> first = check("POST", "/auth/signin", null);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(first.headers().firstValue("RateLimit-Limit")).contains("2");
    assertThat(first.headers().firstValue("RateLimit-Remaining")).contains("1");
    assertThat(check("POST", "/auth/signin", null).statusCode()).isEqualTo(200);
    HttpResponse<String> third = check("POST", "/auth/signin", null);
    assertThat(third.statusCode()).as(third.body()).isEqualTo(429);
    assertThat(third.headers().firstValue("Retry-After")).isPresent();
    assertThat(third.body()).contains("signins");
  }

  @Test
  void aWindowLimitAdmitsItsCountAndSaysWhenTheFirstLeavesTheWindow() throws Exception {
    HttpResponse<String> first = check("POST", "/auth/reset", null);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(first.headers().firstValue("RateLimit-Limit")).contains("2");
    assertThat(first.headers().firstValue("RateLimit-Remaining")).contains("1");
    assertThat(check("POST", "/auth/reset", null).statusCode()).isEqualTo(200);
    HttpResponse<String> third = check("POST", "/auth/reset", null);
    assertThat(third.statusCode()).as(third.body()).isEqualTo(429);
    long retry = Long.parseLong(third.headers().firstValue("Retry-After").orElseThrow());
    assertThat(retry).as("the first reset leaves the window a day after it").isBetween(86_000L, 86_400L);
    assertThat(third.body()).contains("resets");
  }

  @Test
  void aTokenOnAPublicRouteStillNamesThePrincipal() throws Exception {
    // the rule admits the anonymous principal only: alice's token makes her the principal
    HttpResponse<String> alice = check("POST", "/auth/signin", GatewayFixture.token("alice", "customer"));
    assertThat(alice.statusCode()).as(alice.body()).isEqualTo(403);
    HttpResponse<String> forged = check("POST", "/auth/signin", "not-a-token");
    assertThat(forged.statusCode()).as("a refused token is refused, also on a public route").isEqualTo(401);
  }

  @Test
  void withoutATokenEveryOtherRouteAndPathStillAnswers401() throws Exception {
    HttpResponse<String> signout = check("POST", "/auth/signout", null);
    assertThat(signout.statusCode()).as(signout.body()).isEqualTo(401);
    assertThat(signout.headers().firstValue("WWW-Authenticate")).contains("Bearer");
    assertThat(check("GET", "/accounts/a1", null).statusCode()).isEqualTo(401);
    assertThat(check("GET", "/nowhere", null).statusCode()).isEqualTo(401);
    assertThat(check("GET", "/auth/%2e%2e/accounts/a1", null).statusCode()).isEqualTo(401);
    assertThat(check("POST", "/auth/signout", GatewayFixture.token("alice", "customer")).statusCode())
        .as("the fixed id routes with a token too").isEqualTo(200);
  }

  @Test
  void routeInBracketsDecidesOnTheTemplateAsTheId() throws Exception {
    HttpResponse<String> help = check("GET", "/auth/help?topic=x", null);
    assertThat(help.statusCode()).as(help.body()).isEqualTo(200);
  }

  @Test
  void aBodyThatSetsADeniedFieldIsRefusedAtTheEdge() throws Exception {
    HttpResponse<String> owner = envoy("PATCH", "/accounts/a1", "application/json",
        "{\"nickname\": \"savings\", \"owner\": \"mallory\", \"balance\": 1}");
    assertThat(owner.statusCode()).as(owner.body()).isEqualTo(403);
    assertThat(owner.headers().firstValue("X-Verdict-Denied-Fields")).contains("balance,owner");
    assertThat(owner.body()).contains("\"forbidden-fields\"").contains("\"fields\":[\"balance\",\"owner\"]");
    HttpResponse<String> fine = envoy("PATCH", "/accounts/a1", "application/json", "{\"nickname\": \"savings\"}");
    assertThat(fine.statusCode()).as(fine.body()).isEqualTo(200);
    assertThat(fine.headers().firstValue("X-Verdict-Write-Deny")).contains("balance=deny;owner=deny;tenant=deny");
    HttpResponse<String> none = envoy("PATCH", "/accounts/a1", null, null);
    assertThat(none.statusCode()).as("no body: the back end gets the write mask as before").isEqualTo(200);
  }

  @Test
  void aBodyThatCannotBeCheckedIsRefused() throws Exception {
    HttpResponse<String> broken = envoy("PATCH", "/accounts/a1", "application/json", "{\"owner\": ");
    assertThat(broken.statusCode()).as(broken.body()).isEqualTo(400);
    assertThat(broken.body()).contains("invalid_json");
    HttpResponse<String> form = envoy("PATCH", "/accounts/a1", "application/x-www-form-urlencoded", "owner=mallory");
    assertThat(form.statusCode()).as(form.body()).isEqualTo(415);
    assertThat(form.body()).contains("unsupported_media_type").contains("owner");
    HttpResponse<String> partial = envoy("PATCH", "/accounts/a1", "application/json", "{\"nickname\": \"sav",
        "x-envoy-auth-partial-body", "true");
    assertThat(partial.statusCode()).as(partial.body()).isEqualTo(413);
    assertThat(partial.body()).contains("max_request_bytes");
  }

  @Test
  void aBodyForARouteWithoutProtectedFieldsIsNotRead() throws Exception {
    // alice's deposits route denies no field: any body goes on
    HttpResponse<String> upload = envoy("POST", "/accounts/a1/deposits", "application/octet-stream", "\u0000\u0001");
    assertThat(upload.statusCode()).as(upload.body()).isNotIn(400, 413, 415);
  }

  @Test
  void traefikForwardBodyIsCheckedOnTheCheckEndpoint() throws Exception {
    HttpRequest r = HttpRequest.newBuilder(URI.create(gw.base() + "/v1/gateway/check")).timeout(Duration.ofSeconds(20))
        .header("X-Forwarded-Method", "PATCH").header("X-Forwarded-Uri", "/accounts/a1")
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + GatewayFixture.token("alice", "customer"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"tenant\": \"bank2\"}")).build();
    HttpResponse<String> answer = CLIENT.send(r, HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(403);
    assertThat(answer.headers().firstValue("X-Verdict-Denied-Fields")).contains("tenant");
  }
}
