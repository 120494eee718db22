package dev.verdict.sdk;

import static dev.verdict.sdk.People.A1;
import static dev.verdict.sdk.People.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Every way of not getting an answer is a deny whose failure says why; nothing throws. */
class FaultsTest {
  static final Duration DEADLINE = Duration.ofSeconds(20);

  static RemoteBuilder client(URI... uris) {
    return VerdictClient.remote(uris).requestTimeout(DEADLINE).backoff(Duration.ofMillis(5)).noCache();
  }

  static URI deadPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return URI.create("http://127.0.0.1:" + s.getLocalPort());
    }
  }

  static void assertClosed(Decision d, String why) {
    assertThat(d.allowed()).isFalse();
    assertThat(d.outcome()).isEqualTo(Decision.Outcome.DENY);
    assertThat(d.failure()).as(d.toString()).isPresent();
    assertThat(d.failure().get()).contains(why);
  }

  @Test
  void serverDownIsADenyAfterTheConfiguredRetries() throws Exception {
    try (VerdictClient c = client(deadPort()).retries(2).apiKey("s3cret-key-never-shown").build()) {
      Decision d = c.check(ALICE, A1, "read");
      assertClosed(d, "connection refused");
      assertThat(d.failure().get()).contains("after 3 attempts").doesNotContain("s3cret");
      assertClosed(c.checkAsync(ALICE, A1, "read").join(), "connection refused");
      assertThat(c.checkAll(ALICE, List.of(A1, A1), List.of("read"))).allSatisfy(x -> assertClosed(x, "refused"));
    }
  }

  @Test
  void slowPastTheDeadlineIsADeny() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (FakePdp fake = new FakePdp((ex, n) -> {
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      FakePdp.json(ex, 200, FakePdp.allow(5));
    }); VerdictClient c = client(fake.uri()).requestTimeout(Duration.ofMillis(300)).build()) {
      assertClosed(c.check(ALICE, A1, "read"), "within the deadline");
      release.countDown();
    }
  }

  @Test
  void serverErrorIsADenyWithoutRetry() throws Exception {
    try (FakePdp fake = new FakePdp((ex, n) -> FakePdp.json(ex, 500,
        "{\"error\":{\"code\":\"internal_error\",\"message\":\"boom\"}}"));
        VerdictClient c = client(fake.uri()).build()) {
      assertClosed(c.check(ALICE, A1, "read"), "answered 500 internal_error");
      assertThat(fake.requests.get()).isEqualTo(1);
    }
  }

  @Test
  void unavailableThenSuccessIsRetriedExactlyAsConfigured() throws Exception {
    FakePdp.Script twice503 = (ex, n) -> {
      if (n <= 2) {
        FakePdp.json(ex, 503, "{\"error\":{\"code\":\"policy_not_loaded\",\"message\":\"no set\"}}");
      } else {
        FakePdp.json(ex, 200, FakePdp.allow(5));
      }
    };
    try (FakePdp fake = new FakePdp(twice503); VerdictClient c = client(fake.uri()).retries(2).build()) {
      Decision d = c.check(ALICE, A1, "read");
      assertThat(d.allowed()).as(d.toString()).isTrue();
      assertThat(fake.requests.get()).isEqualTo(3);
    }
    try (FakePdp fake = new FakePdp(twice503); VerdictClient c = client(fake.uri()).retries(1).build()) {
      assertClosed(c.check(ALICE, A1, "read"), "unavailable (503 policy_not_loaded) (after 2 attempts)");
      assertThat(fake.requests.get()).isEqualTo(2);
    }
  }

  @Test
  void malformedJsonIsADeny() throws Exception {
    try (FakePdp fake = new FakePdp((ex, n) -> FakePdp.json(ex, 200, "{\"decisionId\": tru"));
        VerdictClient c = client(fake.uri()).build()) {
      assertClosed(c.check(ALICE, A1, "read"), "not valid JSON");
    }
  }

  @Test
  void answerOfTheWrongShapeIsADenyNamingThePath() throws Exception {
    try (FakePdp fake = new FakePdp((ex, n) -> FakePdp.json(ex, 200,
        FakePdp.allow(5).replace("\"allowed\":true", "\"allowed\":\"yes\"")));
        VerdictClient c = client(fake.uri()).build()) {
      assertClosed(c.check(ALICE, A1, "read"), "malformed answer: $.results[0].allowed must be true or false");
    }
    try (FakePdp fake = new FakePdp((ex, n) -> FakePdp.json(ex, 200, "{\"policyVersion\":\"v\",\"cacheTtlSeconds\":1}"));
        VerdictClient c = client(fake.uri()).build()) {
      assertClosed(c.check(ALICE, A1, "read"), "$.results must be an array of 1 results");
    }
  }

  @Test
  void truncatedAnswerIsADeny() throws Exception {
    try (FakePdp fake = new FakePdp((ex, n) -> {
      byte[] whole = FakePdp.allow(5).getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(200, whole.length);
      OutputStream o = ex.getResponseBody();
      o.write(whole, 0, 40);
      o.flush();
      // Closing the exchange now leaves the promised length unsent: the connection is cut.
    }); VerdictClient c = client(fake.uri()).build()) {
      assertClosed(c.check(ALICE, A1, "read"), "cut off");
    }
  }

  @Test
  void wrongContentTypeIsADeny() throws Exception {
    try (FakePdp fake = new FakePdp((ex, n) -> FakePdp.send(ex, 200, "text/html", "<html>login</html>"));
        VerdictClient c = client(fake.uri()).build()) {
      assertClosed(c.check(ALICE, A1, "read"), "is not JSON (Content-Type: text/html)");
    }
  }

  @Test
  void anExplicitFallbackAnswersInstead() throws Exception {
    try (VerdictClient c = client(deadPort()).retries(0)
        .fallback((p, r, action, why) -> Decision.fallback(action.equals("read"), why)).build()) {
      Decision read = c.check(ALICE, A1, "read");
      assertThat(read.allowed()).isTrue();
      assertThat(read.failure().orElseThrow()).contains("connection refused");
      assertThat(read.readMask()).isEmpty();
      assertThat(c.check(ALICE, A1, "delete").allowed()).isFalse();
    }
  }

  @Test
  void failsOverToTheNextEndpointAndSendsTheApiKey() throws Exception {
    try (FakePdp fake = new FakePdp((ex, n) -> FakePdp.json(ex, 200, FakePdp.allow(5)));
        VerdictClient c = client(deadPort(), fake.uri()).retries(1).apiKey("k-123").build()) {
      assertThat(c.check(ALICE, A1, "read").allowed()).isTrue();
      assertThat(c.check(ALICE, A1, "read").allowed()).isTrue();
      assertThat(fake.authorizations).containsOnly("ApiKey k-123");
    }
  }

  @Test
  void aRefusedCredentialSaysHowToFixIt() throws Exception {
    try (FakePdp fake = new FakePdp((ex, n) -> FakePdp.json(ex, 401,
        "{\"error\":{\"code\":\"unauthenticated\",\"message\":\"no key\"}}"));
        VerdictClient c = client(fake.uri()).build()) {
      assertClosed(c.check(ALICE, A1, "read"), "401 unauthenticated; the client needs an API key");
    }
  }
}
