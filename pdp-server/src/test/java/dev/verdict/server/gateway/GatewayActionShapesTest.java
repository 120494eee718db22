package dev.verdict.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway check decides a routed action against its {@code action NAME { … }} declaration
 * (issue 13 gap 3): a principal of another type, or a context attribute the action requires and
 * the gateway cannot give, is an invalid request naming its path, never an allow.
 */
class GatewayActionShapesTest {
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;
  GatewayFixture gw;

  @AfterEach
  void stop() {
    if (gw != null) {
      gw.close();
    }
  }

  /**
   * The banking set with {@code shapes} added, without its test blocks: written for the actions
   * as they were, they would not fit the new shapes, which `verdict check` (V1604) refuses.
   */
  private void start(String shapes) throws Exception {
    gw = new GatewayFixture(tmp, config -> {
      try {
        Path set = tmp.resolve("banking");
        try (var files = Files.list(set)) {
          for (Path f : files.filter(f -> f.getFileName().toString().endsWith("_tests.verdict")).toList()) {
            Files.delete(f);
          }
        }
        Files.writeString(set.resolve("zz_actions.verdict"), shapes);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return config;
    });
  }

  private HttpResponse<String> check(String method, String uri) throws Exception {
    HttpRequest r = HttpRequest.newBuilder(URI.create(gw.base() + "/v1/gateway/check")).timeout(Duration.ofSeconds(20))
        .header("X-Original-Method", method).header("X-Original-URI", uri)
        .header("Authorization", "Bearer " + GatewayFixture.token("alice", "customer")).GET().build();
    return CLIENT.send(r, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void anActionForAnotherPrincipalTypeIsRefusedNotAllowed() throws Exception {
    start("action block {\n  principal: Service\n  resource: Card\n}\n");
    HttpResponse<String> r = check("POST", "/cards/c1/block");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.at("/error/code").asText()).isEqualTo("invalid_request");
    assertThat(body.at("/error/details/path").asText()).isEqualTo("$.principal.type");
  }

  @Test
  void aRequiredContextAttributeTheGatewayCannotGiveIsRefusedNamingIt() throws Exception {
    start("action read {\n  context {\n    reason: String\n  }\n}\n");
    HttpResponse<String> r = check("GET", "/accounts/a1");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(JSON.readTree(r.body()).at("/error/details/path").asText()).isEqualTo("$.context.reason");
  }

  @Test
  void aShapeTheRouteFitsDecidesAsBefore() throws Exception {
    start("action read {\n  principal: User\n  resource: Account, Card\n}\n");
    HttpResponse<String> r = check("GET", "/accounts/a1");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }
}
