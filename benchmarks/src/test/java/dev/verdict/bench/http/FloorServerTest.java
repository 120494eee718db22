package dev.verdict.bench.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.transport.Transport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The floor server behind benchmarks/wrk/floor.sh starts and answers a POST, in both modes and on
 * both transports, so the script does not rot.
 */
class FloorServerTest {
  @ParameterizedTest
  @CsvSource({"CORE, false", "WEB, false", "CORE, true", "WEB, true"})
  void startsOnAFreePortAndAnswersAPost(FloorServer.Mode mode, boolean ioUring) throws Exception {
    Transport uring = Transport.IO_URING;
    if (ioUring && (uring == null || !uring.available())) {
      assertThatThrownBy(() -> FloorServer.start(mode, "127.0.0.1", 0, 1, true))
          .hasMessage("io_uring is not available here");
      return;
    }
    FloorServer s = FloorServer.start(mode, "127.0.0.1", 0, 1, ioUring);
    try {
      assertThat(s.onIoUring()).isEqualTo(ioUring);
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
