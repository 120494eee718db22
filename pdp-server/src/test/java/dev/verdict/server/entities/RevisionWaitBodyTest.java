package dev.verdict.server.entities;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.server.TestServer;
import dev.verdict.server.auth.ApiKey;
import dev.verdict.server.auth.ApiKeys;
import dev.verdict.server.auth.Scope;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A decision that waits for a revision ({@code X-Verdict-Min-Revision}) waits before its body is
 * read: the body must still be there when the wait ends, however long ago it arrived.
 */
class RevisionWaitBodyTest {
  static final String DATA_KEY = "data-key-0123456789abcdef";
  static final String DECIDE_KEY = "decide-key-0123456789abcdef";
  @TempDir
  static Path tmp;
  static TestServer s;

  @BeforeAll
  static void start() throws Exception {
    // long enough for the body to arrive and the write to land on a loaded machine
    System.setProperty("verdict.entity.revision.wait.millis", "20000");
    Path policies = tmp.resolve("policies");
    Files.createDirectories(policies);
    Files.writeString(policies.resolve("schema.verdict"), """
        entity User { tenant: String }
        entity Account { owner: String, tenant: String, balance?: Number, ssn?: String }
        """);
    s = new TestServer(tmp, c -> c.withApiKeys(List.of(
        new ApiKey("pusher", ApiKeys.digest(DATA_KEY), Set.of(Scope.DATA)),
        new ApiKey("app", ApiKeys.digest(DECIDE_KEY), Set.of(Scope.DECIDE)))));
  }

  @AfterAll
  static void stop() {
    System.clearProperty("verdict.entity.revision.wait.millis");
    if (s != null) {
      s.close();
    }
  }

  static TestServer.Response put(String path, String body) {
    return s.send(HttpRequest.newBuilder(URI.create(s.base() + path)).PUT(HttpRequest.BodyPublishers.ofString(body)),
        "X-API-Key", DATA_KEY, "Content-Type", "application/json");
  }

  @Test
  void aBodyThatArrivedDuringTheWaitIsReadWhenTheRevisionComes() throws Exception {
    TestServer.Response first = put("/v1/entities/Account/w0", "{\"attrs\":{\"owner\":\"ann\",\"tenant\":\"t1\"}}");
    assertThat(first.status()).as(first.body()).isEqualTo(200);
    long next = Long.parseLong(first.json().get("revision").asText()) + 1;
    String body = "{\"subject\":{\"type\":\"User\",\"id\":\"bob\",\"properties\":{\"tenant\":\"t1\",\"roles\":[]}},"
        + "\"resource\":{\"type\":\"Account\",\"id\":\"w1\"},\"action\":{\"name\":\"read\"}}";
    try (Socket socket = new Socket("127.0.0.1", s.server.port())) {
      socket.setSoTimeout(30_000);
      // head and body in one write: when the server has begun the request, it has its body too
      socket.getOutputStream().write(("POST /access/v1/evaluation HTTP/1.1\r\nHost: pdp\r\nConnection: close\r\nContent-Type: application/json\r\n"
          + "X-API-Key: " + DECIDE_KEY + "\r\n" + MinRevision.HEADER + ": " + next + "\r\nContent-Length: "
          + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
      socket.getOutputStream().flush();
      // the decision is waiting once the server counts it active beside the scrape that asks
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!s.get("/metrics").body().contains("verdict_http_requests_active 2.0")) {
        assertThat(System.nanoTime()).as("the decision reached the server").isLessThan(deadline);
        Thread.onSpinWait();
      }
      assertThat(socket.getInputStream().available()).as("no answer before the revision").isZero();
      TestServer.Response w = put("/v1/entities/Account/w1", "{\"attrs\":{\"owner\":\"bob\",\"tenant\":\"t1\"}}");
      assertThat(w.status()).as(w.body()).isEqualTo(200);
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(answer).startsWith("HTTP/1.1 200").contains("\"decision\":true");
    }
  }
}
