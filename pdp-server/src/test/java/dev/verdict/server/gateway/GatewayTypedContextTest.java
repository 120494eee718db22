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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client address the gateway puts in {@code context.ip} arrives as an Ip when the set
 * declares {@code ip: Ip} (issue 9 item 1), like the same value sent as JSON.
 */
class GatewayTypedContextTest {
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

  /** The banking set with `ip: Ip` and a forbid that holds unless the caller is on loopback. */
  private void start(String forbid) throws Exception {
    gw = new GatewayFixture(tmp, config -> {
      // Runs after the fixture copied the set and before the server loads it.
      Path set = tmp.resolve("banking");
      try {
        Path schema = set.resolve("schema.verdict");
        Files.writeString(schema, Files.readString(schema).replace("ip: String", "ip: Ip"));
        Files.writeString(set.resolve("zz_network.verdict"), "policy network on Account {\n  @id(\"network\")\n  "
            + forbid + "\n}\n");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return config;
    });
  }

  private HttpResponse<String> check(String uri) throws Exception {
    HttpRequest r = HttpRequest.newBuilder(URI.create(gw.base() + "/v1/gateway/check")).timeout(Duration.ofSeconds(20))
        .header("X-Original-Method", "GET").header("X-Original-URI", uri)
        .header("Authorization", "Bearer " + GatewayFixture.token("alice", "customer")).GET().build();
    return CLIENT.send(r, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theClientAddressEqualsAnIpLiteral() throws Exception {
    start("forbid read when context.ip != ip(\"127.0.0.1\")");
    HttpResponse<String> r = check("/accounts/a1");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  @Test
  void notEqualOnTheClientAddressDoesNotFailOpen() throws Exception {
    start("forbid read when cidr(context.ip, \"127.0.0.0/8\") and context.ip == ip(\"127.0.0.1\")");
    HttpResponse<String> r = check("/accounts/a1");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
    assertThat(r.body()).contains("network");
  }
}
