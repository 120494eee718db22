package dev.verdict.sdk.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.sdk.VerdictClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The example service does what docs/sdk.md says it does. */
class AccountsServiceTest {
  static final HttpClient HTTP = HttpClient.newHttpClient();

  static HttpResponse<String> send(AccountsService s, String method, String user, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/accounts/A-1001"))
        .timeout(Duration.ofSeconds(30)).header("X-User", user)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void guardsMasksAndRefusesMassAssignment() throws Exception {
    try (AccountsService s = new AccountsService(
        VerdictClient.embedded(Path.of("../policies/banking")).noWatch().build(), 0)) {
      HttpResponse<String> mine = send(s, "GET", "alice", null);
      assertThat(mine.statusCode()).isEqualTo(200);
      assertThat(new ObjectMapper().readTree(mine.body()).at("/holder/ssn").asText()).isEqualTo("*******6789");
      assertThat(send(s, "GET", "bob", null).statusCode()).isEqualTo(403);
      HttpResponse<String> steal = send(s, "PATCH", "alice", "{\"owner\":\"mallory\"}");
      assertThat(steal.statusCode()).isEqualTo(403);
      assertThat(steal.body()).contains("\"fields\":[\"owner\"]");
      assertThat(send(s, "PATCH", "alice", "{\"holder\":{\"name\":\"A. Archer\"}}").statusCode()).isEqualTo(200);
    }
  }
}
