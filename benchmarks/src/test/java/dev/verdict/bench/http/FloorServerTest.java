package dev.verdict.bench.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The floor server behind benchmarks/wrk/floor.sh starts and answers a POST, in both modes, so the script does not rot. */
class FloorServerTest {
  @ParameterizedTest
  @EnumSource(FloorServer.Mode.class)
  void startsOnAFreePortAndAnswersAPost(FloorServer.Mode mode) throws Exception {
    FloorServer s = FloorServer.start(mode, "127.0.0.1", 0, 1);
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + s.port() + "/access/v1/evaluation"))
          .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"subject\":{\"type\":\"User\",\"id\":\"ann\"}}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
      assertThat(r.body()).isEqualTo(FloorServer.ANSWER.toString()).startsWith("{\"decision\":true,");
    } finally {
      s.close().await();
    }
  }
}
