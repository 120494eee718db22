package dev.verdict.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.server.auth.ApiKey;
import dev.verdict.server.auth.ApiKeys;
import dev.verdict.server.auth.Scope;
import dev.verdict.server.boot.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What floods of connections, methods, slow headers and unfinished bodies can hold: each is
 * bounded, and the server keeps answering {@code /health/live} throughout (issue 8, items 4, 5,
 * M3, L5 and the HTTP layer's own errors).
 */
class HttpBoundsTest {
  static final String BODY = "{\"subject\":" + TestServer.subject("alice") + ",\"resource\":"
      + TestServer.account("a1", "alice") + ",\"action\":{\"name\":\"read\"}}";

  @Test
  void unknownMethodsDoNotCreateSeries(@TempDir Path tmp) throws Exception {
    try (TestServer s = new TestServer(tmp, c -> c.withApiKeys(List.of(
        new ApiKey("ops", ApiKeys.digest("ops-key-0123456789abcdef"), Set.of(Scope.ADMIN, Scope.DECIDE)))))) {
      try (RawHttp raw = new RawHttp(s.server.port())) {
        for (int i = 0; i < 3_000; i++) {
          RawHttp.Answer a = raw.exchange("M" + i + "X /v1/decisions HTTP/1.1\r\nHost: pdp\r\nContent-Length: 0\r\n\r\n");
          assertThat(a.status()).isIn(401, 405);
        }
      }
      s.get("/metrics");
      String before = s.get("/metrics").body();
      try (RawHttp raw = new RawHttp(s.server.port())) {
        for (int i = 3_000; i < 6_000; i++) {
          raw.exchange("M" + i + "X /v1/decisions HTTP/1.1\r\nHost: pdp\r\nContent-Length: 0\r\n\r\n");
        }
      }
      String after = s.get("/metrics").body();
      assertThat(after).doesNotContain("M1X").doesNotContain("M4000X");
      assertThat(after).contains("vertx_http_server_requests_total{code=\"405\",method=\"other\"}");
      assertThat(series(after, "vertx_http_server_")).as("series after 3,000 more unknown methods:\n" + after)
          .isEqualTo(series(before, "vertx_http_server_"));
    }
  }

  private static long series(String scrape, String prefix) {
    return scrape.lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(0, l.lastIndexOf(' '))).count();
  }

  @Test
  void unfinishedBodiesAreBoundedAndTimedOut(@TempDir Path tmp) throws Exception {
    ServerConfig.Connections limits = new ServerConfig.Connections(1_000, 1_000, 5_000, 4L * 1024 * 1024);
    try (TestServer s = new TestServer(tmp, c -> c.withConnections(limits))) {
      List<RawHttp> stalled = new ArrayList<>();
      String head = "POST /v1/decisions HTTP/1.1\r\nHost: pdp\r\nContent-Type: application/json\r\n"
          + "Content-Length: 1048576\r\n\r\n";
      String part = "{\"context\":{\"pad\":\"" + "x".repeat(200_000);
      try {
        for (int i = 0; i < 4; i++) {
          stalled.add(new RawHttp(s.server.port()).send(head + part));
        }
        // the four reservations are made on the server's event loops, not when the client has sent
        waitForMetrics(s, "verdict_http_bodies_in_flight_bytes 4194304.0");
        try (RawHttp fifth = new RawHttp(s.server.port())) {
          RawHttp.Answer refused = fifth.send(head + part).read();
          assertThat(refused.status()).as(refused.body()).isEqualTo(503);
          assertThat(refused.header("Retry-After")).isEqualTo("1");
          assertThat(refused.header("Content-Type")).isEqualTo("application/json");
          assertThat(refused.body()).contains("\"code\":\"overloaded\"");
        }
        assertThat(s.get("/health/live").status()).as("live while bodies stall").isEqualTo(200);
        for (RawHttp r : stalled) {
          assertThat(r.closedByServer(30_000)).as("a stalled body is cut off after its deadline").isTrue();
        }
      } finally {
        stalled.forEach(RawHttp::close);
      }
      assertThat(s.get("/metrics").body()).contains("verdict_http_connections_closed_total{reason=\"body_timeout\"} 4.0");
      // the stalled bodies gave their bytes back: a whole body is accepted again
      assertThat(s.post("/access/v1/evaluation", BODY).status()).isEqualTo(200);
      assertThat(s.get("/metrics").body()).contains("verdict_http_bodies_in_flight_bytes 0.0");
    }
  }

  /**
   * A request answered before its body arrived (here by the request timeout) gives its
   * reservation back, so its connection must go too: the rest of its body would otherwise still
   * be buffered, unaccounted, until the much later body deadline.
   */
  @Test
  void aBodyAnsweredBeforeItArrivedLosesItsConnection(@TempDir Path tmp) throws Exception {
    try (TestServer s = new TestServer(tmp, c -> c.withRequestTimeout(1_000)
        .withConnections(new ServerConfig.Connections(1_000, 10_000, 120_000, 64L * 1024 * 1024)))) {
      try (RawHttp stalled = new RawHttp(s.server.port())) {
        RawHttp.Answer a = stalled.send("POST /v1/decisions HTTP/1.1\r\nHost: pdp\r\nContent-Type: application/json\r\n"
            + "Content-Length: 1048576\r\n\r\n{\"context\":{\"pad\":\"" + "x".repeat(100_000)).read();
        assertThat(a.status()).as(a.body()).isEqualTo(503);
        assertThat(stalled.closedByServer(20_000)).as("closed long before the 120 s body deadline").isTrue();
      }
      assertThat(s.get("/metrics").body()).contains("verdict_http_bodies_in_flight_bytes 0.0");
    }
  }

  @Test
  void slowHeadersAreCutOffAndConnectionsAreCapped(@TempDir Path tmp) throws Exception {
    ServerConfig.Connections limits = new ServerConfig.Connections(16, 1_000, 30_000, 64L * 1024 * 1024);
    try (TestServer s = new TestServer(tmp, c -> c.withConnections(limits))) {
      try (RawHttp slow = new RawHttp(s.server.port())) {
        slow.send("GET /health/live HTTP/1.1\r\nHo");
        assertThat(slow.closedByServer(15_000)).as("headers not finished within the deadline").isTrue();
      }
      List<RawHttp> idle = new ArrayList<>();
      try {
        for (int i = 0; i < 24; i++) {
          idle.add(new RawHttp(s.server.port()));
        }
        long cut = idle.stream().filter(r -> r.closedByServer(300)).count();
        assertThat(cut).as("connections over the cap of 16 are closed at once").isGreaterThanOrEqualTo(8);
      } finally {
        idle.forEach(RawHttp::close);
      }
      String metrics = waitForMetrics(s, "verdict_http_connections_closed_total{reason=\"limit\"}");
      assertThat(counter(metrics, "verdict_http_connections_closed_total{reason=\"limit\"}")).isGreaterThanOrEqualTo(8);
      assertThat(counter(metrics, "verdict_http_connections_closed_total{reason=\"header_timeout\"}"))
          .isGreaterThanOrEqualTo(1);
      assertThat(metrics).contains("verdict_http_connections_open ");
    }
  }

  /** The scrape, retried while the cap still refuses the scraping connection itself. */
  private static String waitForMetrics(TestServer s, String needle) throws InterruptedException {
    for (int i = 0; i < 300; i++) {
      try {
        String m = s.get("/metrics").body();
        if (m.contains(needle)) {
          return m;
        }
      } catch (RuntimeException e) {
        // closed by the cap while the idle connections were still counted
      }
      Thread.sleep(100);
    }
    return s.get("/metrics").body();
  }

  private static double counter(String scrape, String series) {
    Matcher m = Pattern.compile(Pattern.quote(series) + " ([0-9.E]+)").matcher(scrape);
    return m.find() ? Double.parseDouble(m.group(1)) : -1;
  }

  @Test
  void theHttpLayersOwnRefusalsAreJson(@TempDir Path tmp) throws Exception {
    try (TestServer s = new TestServer(tmp)) {
      try (RawHttp raw = new RawHttp(s.server.port())) {
        RawHttp.Answer a = raw.exchange("GET /health/live HTTP/1.1\r\nHost: pdp\r\nX-Big: " + "h".repeat(10_000)
            + "\r\n\r\n");
        assertThat(a.status()).isEqualTo(431);
        assertThat(a.header("Content-Type")).isEqualTo("application/json");
        assertThat(TestServer.JSON.readTree(a.body()).get("error").get("code").asText()).isEqualTo("headers_too_large");
      }
      try (RawHttp raw = new RawHttp(s.server.port())) {
        RawHttp.Answer a = raw.exchange("GET /" + "u".repeat(5_000) + " HTTP/1.1\r\nHost: pdp\r\n\r\n");
        assertThat(a.status()).isEqualTo(414);
        assertThat(TestServer.JSON.readTree(a.body()).get("error").get("code").asText()).isEqualTo("uri_too_long");
      }
      assertThat(s.get("/health/live").status()).isEqualTo(200);
    }
  }

  @Test
  void aMalformedChunkSizeIsA400LoggedInOneLine(@TempDir Path tmp) throws Exception {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try (TestServer s = new TestServer(tmp)) {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      try (RawHttp raw = new RawHttp(s.server.port())) {
        RawHttp.Answer a = raw.exchange("POST /v1/decisions HTTP/1.1\r\nHost: pdp\r\nContent-Type: application/json\r\n"
            + "Transfer-Encoding: chunked\r\n\r\nzz-not-hex\r\n{}\r\n0\r\n\r\n");
        assertThat(a.status()).as(a.body() + captured).isEqualTo(400);
        assertThat(TestServer.JSON.readTree(a.body()).get("error").get("code").asText()).isEqualTo("invalid_request");
      }
      assertThat(s.get("/health/live").status()).isEqualTo(200);
    } finally {
      System.setErr(original);
    }
    String err = captured.toString(StandardCharsets.UTF_8) + "";
    assertThat(err).doesNotContain("\tat ").doesNotContain("Exception");
  }
}
