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
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 gap 7 at the gateway: a user's roles from the directory (a data file) reach gateway
 * decisions whatever the token carries: none (no roles claim at all) or others. The banking
 * set's {@code permit read to support} decides {@code GET /accounts/a1}.
 */
class GatewayRolesTest {
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir
  Path tmp;
  GatewayFixture gw;

  @AfterEach
  void stop() {
    if (gw != null) {
      gw.close();
    }
  }

  private int read(Map<String, Object> claims) throws Exception {
    HttpRequest r = HttpRequest.newBuilder(URI.create(gw.base() + "/v1/gateway/check")).timeout(Duration.ofSeconds(20))
        .header("X-Original-Method", "GET").header("X-Original-URI", "/accounts/a1")
        .header("Authorization", "Bearer " + GatewayFixture.sign(GatewayFixture.KEY, claims)).GET().build();
    return CLIENT.send(r, HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  @Test
  void directoryRolesAddToTheTokensAndATokenWithoutRolesKeepsThem() throws Exception {
    gw = new GatewayFixture(tmp, config -> {
      try {
        Files.writeString(tmp.resolve("banking").resolve("zz_directory.entities.json"), """
            [{"uid": {"type": "User", "id": "sam"}, "attrs": {"roles": ["support"]}, "parents": []}]
            """);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return config;
    });
    Map<String, Object> noRolesClaim = GatewayFixture.claims("sam");
    noRolesClaim.remove("roles");
    assertThat(read(noRolesClaim)).as("no roles claim: the directory's support role").isEqualTo(200);
    assertThat(read(GatewayFixture.claims("sam", "customer"))).as("other roles in the token").isEqualTo(200);
    assertThat(read(GatewayFixture.claims("bob", "customer"))).as("bob is not in the directory").isEqualTo(403);
  }
}
