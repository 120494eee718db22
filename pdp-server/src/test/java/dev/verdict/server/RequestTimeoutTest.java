package dev.verdict.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.server.boot.ServerConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The request timeout answers a request not answered in time with a 503 (its deadlines are swept
 * periodically rather than timed one by one), and requests answered in time are not touched.
 */
class RequestTimeoutTest {
  @Test
  void aRequestNotAnsweredInTimeGetsA503AndTheServerKeepsAnswering(@TempDir Path tmp) throws Exception {
    // the body deadline far away, so that only the request timeout can answer the stalled body
    ServerConfig.Connections limits = new ServerConfig.Connections(1_000, 10_000, 60_000, 4L * 1024 * 1024);
    try (TestServer s = new TestServer(tmp, c -> c.withConnections(limits).withRequestTimeout(300))) {
      for (int i = 0; i < 50; i++) {
        assertThat(s.post("/access/v1/evaluation", HttpBoundsTest.BODY).status()).isEqualTo(200);
      }
      try (RawHttp raw = new RawHttp(s.server.port())) {
        RawHttp.Answer a = raw.send("POST /v1/decisions HTTP/1.1\r\nHost: pdp\r\nContent-Type: application/json\r\n"
            + "Content-Length: 1000\r\n\r\n{\"principal\":").read();
        assertThat(a.status()).as(a.body()).isEqualTo(503);
        assertThat(a.header("Content-Type")).isEqualTo("application/json");
        assertThat(a.body()).contains("\"code\":\"internal_error\"").contains("took too long");
      }
      assertThat(s.post("/access/v1/evaluation", HttpBoundsTest.BODY).status()).isEqualTo(200);
      String metrics = s.get("/metrics").body();
      assertThat(metrics).contains("vertx_http_server_requests_total{code=\"503\",method=\"POST\"} 1.0")
          .contains("vertx_http_server_requests_total{code=\"200\",method=\"POST\"} 51.0")
          .contains("verdict_http_requests_active 1.0"); // the scrape itself
    }
  }
}
