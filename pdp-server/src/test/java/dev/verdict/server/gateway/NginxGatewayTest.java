package dev.verdict.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real nginx with {@code auth_request} to Verdict in front of an upstream that records what
 * reaches it: the configuration of {@code docs/gateways.md}. Without nginx the test is skipped,
 * except in CI, where a missing nginx is a failure ({@code .ci/run} installs it).
 */
class NginxGatewayTest {
  @TempDir
  Path tmp;
  private GatewayFixture verdict;
  private HttpServer upstream;
  private Process nginx;
  private int port;
  private final ConcurrentLinkedQueue<Headers> reached = new ConcurrentLinkedQueue<>();

  static Optional<Path> nginxBinary() {
    String path = System.getenv("PATH");
    Stream<Path> candidates = Stream.concat(
        path == null ? Stream.empty() : Stream.of(path.split(java.io.File.pathSeparator)).map(d -> Path.of(d, "nginx")),
        Stream.of(Path.of("/usr/sbin/nginx")));
    return candidates.filter(Files::isExecutable).findFirst();
  }

  @BeforeEach
  void start() throws Exception {
    Optional<Path> binary = nginxBinary();
    if (binary.isEmpty()) {
      if (System.getenv("CI") != null) {
        fail("nginx is not installed, and CI must run the nginx end-to-end test (.ci/run installs it)");
      }
      Assumptions.abort("nginx is not installed (apt-get install -y nginx); skipping the nginx end-to-end test");
    }
    verdict = new GatewayFixture(tmp.resolve("verdict"));
    upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    upstream.createContext("/", exchange -> {
      reached.add(exchange.getRequestHeaders());
      byte[] body = "upstream ok".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    upstream.start();
    port = freePort();
    Path dir = tmp.resolve("nginx");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("nginx.conf"), config(dir, port, verdict.server.port(),
        upstream.getAddress().getPort()));
    nginx = new ProcessBuilder(binary.get().toString(), "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString(),
        "-e", dir.resolve("error.log").toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
    awaitListening(dir);
  }

  /** The configuration docs/gateways.md shows, with paths and ports of this run. */
  static String config(Path dir, int port, int verdictPort, int upstreamPort) {
    return DocNginx.forRun(dir, port, verdictPort, upstreamPort);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private void awaitListening(Path dir) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < deadline) {
      if (!nginx.isAlive()) {
        fail("nginx exited with " + nginx.exitValue() + ": " + log(dir.resolve("stdout.log"))
            + log(dir.resolve("error.log")));
      }
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException e) {
        Thread.sleep(50);
      }
    }
    fail("nginx did not listen within 15 s: " + log(dir.resolve("error.log")));
  }

  private static String log(Path p) throws IOException {
    return Files.exists(p) ? Files.readString(p) : "";
  }

  @AfterEach
  void stop() throws Exception {
    if (nginx != null) {
      nginx.destroy();
      if (!nginx.waitFor(10, TimeUnit.SECONDS)) {
        nginx.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    if (upstream != null) {
      upstream.stop(0);
    }
    if (verdict != null) {
      verdict.close();
    }
  }

  private HttpResponse<String> call(String method, String path, String token) {
    String url = "http://127.0.0.1:" + port + path;
    return token == null ? GatewayCheckTest.send(url, method)
        : GatewayCheckTest.send(url, method, "Authorization", "Bearer " + token);
  }

  @Test
  void anAllowedRequestReachesTheUpstreamWithTheFieldMask() {
    HttpResponse<String> r = call("GET", "/accounts/a1", GatewayFixture.token("alice", "customer"));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("upstream ok");
    assertThat(reached).hasSize(1);
    Headers h = reached.peek();
    assertThat(h.getFirst("X-Verdict-Field-Mask")).isEqualTo("holder.ssn=partial(4)");
    assertThat(h.getFirst("X-Verdict-Write-Deny")).isEqualTo("balance=deny;owner=deny;tenant=deny");
    assertThat(h.getFirst("X-Verdict-Decision-Id")).matches("[0-9a-f]{32}");
    assertThat(r.headers().firstValue("RateLimit-Limit")).as("no limit applies to a read").isEmpty();
  }

  @Test
  void theClientSeesTheRateLimitHeaders() {
    HttpResponse<String> r = call("POST", "/accounts/a1/transfers", GatewayFixture.token("alice", "customer"));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("RateLimit-Limit")).contains("5");
    assertThat(r.headers().firstValue("RateLimit-Remaining")).contains("4");
    assertThat(Long.parseLong(r.headers().firstValue("RateLimit-Reset").orElseThrow())).isBetween(0L, 60L);
  }

  @Test
  void withoutATokenTheClientGets401AndTheUpstreamNothing() {
    HttpResponse<String> r = call("GET", "/accounts/a1", null);

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("WWW-Authenticate")).contains("Bearer");
    assertThat(reached).isEmpty();
  }

  @Test
  void aDenyAndAnUnroutedPathAre403() {
    String bob = GatewayFixture.token("bob", "customer");

    assertThat(call("GET", "/accounts/a1", bob).statusCode()).isEqualTo(403);
    assertThat(call("GET", "/internal/metrics", bob).statusCode()).isEqualTo(403);
    assertThat(reached).isEmpty();
  }

  @Test
  void theSixthTransferIs429WithRetryAfter() {
    String alice = GatewayFixture.token("alice", "customer");
    for (int i = 1; i <= 5; i++) {
      assertThat(call("POST", "/accounts/a1/transfers", alice).statusCode()).as("transfer " + i).isEqualTo(200);
    }
    HttpResponse<String> sixth = call("POST", "/accounts/a1/transfers", alice);

    assertThat(sixth.statusCode()).isEqualTo(429);
    assertThat(Long.parseLong(sixth.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);
    assertThat(sixth.headers().firstValue("RateLimit-Remaining")).contains("0");
    assertThat(reached).hasSize(5);
  }

  @Test
  void theConfigurationUsesOnlyTheTemporaryDirectory() {
    String c = config(Path.of("/tmp/x"), 1, 2, 3);

    assertThat(List.of(c.split("\n"))).filteredOn(l -> l.contains("_path") || l.contains("log ") || l.contains("pid"))
        .allMatch(l -> l.contains("/tmp/x/"));
  }
}
