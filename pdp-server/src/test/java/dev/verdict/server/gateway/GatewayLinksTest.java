package dev.verdict.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway decides with links: a link from a {@code *.links.json} file lets its principal through. */
class GatewayLinksTest {
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  static HttpResponse<String> check(GatewayFixture gw, String uri, String token) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create(gw.base() + "/v1/gateway/check")).timeout(Duration.ofSeconds(20))
        .header("X-Original-Method", "GET").header("X-Original-URI", uri).header("Authorization", "Bearer " + token)
        .GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aLinkedPrincipalIsLetThroughAndNamedByItsLink(@TempDir Path tmp) throws Exception {
    try (GatewayFixture gw = new GatewayFixture(tmp)) {
      String bob = GatewayFixture.token("bob", "customer");
      assertThat(check(gw, "/accounts/a1", bob).statusCode()).isEqualTo(403);

      Files.writeString(gw.policies.resolve("sharing.verdict"), """
          policy sharing on Account {
            @id("delegate")
            permit read when principal == ?principal when resource == ?resource
          }
          """);
      Files.writeString(gw.policies.resolve("shares.links.json"), """
          [{"id": "a1-bob", "template": "delegate",
            "slots": {"principal": {"type": "User", "id": "bob"}, "resource": {"type": "Account", "id": "a1"}}}]
          """);
      assertThat(gw.server.store().reload().ok()).isTrue();

      HttpResponse<String> r = check(gw, "/accounts/a1", bob);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(new ObjectMapper().readTree(r.body()).get("reasons").toString()).isEqualTo("[\"delegate#a1-bob\"]");
      assertThat(check(gw, "/accounts/a2", bob).statusCode()).as("only the linked account").isEqualTo(403);
    }
  }
}
