package dev.verdict.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.verdict.server.auth.CertificateCaller;
import dev.verdict.server.auth.Scope;
import dev.verdict.server.boot.ServerConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The management port with mTLS on the decision port: kubelet and Prometheus present no client
 * certificate, so the probes and metrics must answer on the management port without one, while
 * nothing that decides or administers is served there at all.
 */
class ManagementPortTest {
  @TempDir
  static Path tmp;
  static TestServer s;
  static TestPki.Issued serverCa;
  static String management;
  static final HttpClient PLAIN = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws Exception {
    if (!TestPki.opensslPresent()) {
      if (System.getenv("CI") != null) {
        fail("openssl is missing on CI; the management port test needs it to issue certificates");
      }
      Assumptions.abort("skipped: the `openssl` command is not installed (apt-get install -y openssl)");
    }
    TestPki ca = new TestPki(Files.createDirectories(tmp.resolve("pki")));
    serverCa = ca.authority("server");
    TestPki.Issued clientCa = ca.authority("clients");
    TestPki.Issued serverCert = ca.server(serverCa, "server");
    ServerConfig.Tls tls = new ServerConfig.Tls(serverCert.cert(), serverCert.key(), Optional.of(clientCa.cert()));
    List<CertificateCaller> callers = List.of(new CertificateCaller("CN=orders,O=Example", "orders-service",
        Set.of(Scope.DECIDE, Scope.ADMIN)));
    s = new TestServer(tmp, c -> c.withTls(tls, callers).withManagementPort(OptionalInt.of(0)));
    management = s.server.managementAddress().orElseThrow();
  }

  @AfterAll
  static void stop() {
    if (s != null) {
      s.close();
    }
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return PLAIN.send(HttpRequest.newBuilder(URI.create(management + path)).timeout(Duration.ofSeconds(20)).GET()
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(String path, String body) throws Exception {
    return PLAIN.send(HttpRequest.newBuilder(URI.create(management + path)).timeout(Duration.ofSeconds(20))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void listensOnItsOwnPortOnTheSameHostOverPlainHttp() {
    assertThat(management).startsWith("http://127.0.0.1:").doesNotEndWith(":" + s.server.port());
    assertThat(s.server.address()).startsWith("https://");
  }

  @Test
  void probesAnswerWithoutAClientCertificate() throws Exception {
    HttpResponse<String> live = get("/health/live");
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(live.body()).contains("\"live\"");
    HttpResponse<String> ready = get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(TestServer.JSON.readTree(ready.body()).get("policyVersion").asText())
        .isEqualTo(s.server.store().current().orElseThrow().version());
  }

  @Test
  void metricsAreScrapedWithoutACredential() throws Exception {
    HttpResponse<String> r = get("/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("verdict_policy_info{").contains("jvm_memory_used_bytes");
  }

  @Test
  void decisionAndAdminEndpointsAreNotServedThere() throws Exception {
    String body = "{\"subject\":" + TestServer.subject("alice") + ",\"resource\":"
        + TestServer.account("a1", "alice") + ",\"action\":{\"name\":\"read\"}}";
    for (String path : List.of("/access/v1/evaluation", "/access/v1/evaluations", "/v1/decisions",
        "/v1/policies/reload", "/v1/gateway/check")) {
      HttpResponse<String> r = post(path, body);
      assertThat(r.statusCode()).as(path).isEqualTo(404);
      assertThat(TestServer.JSON.readTree(r.body()).get("error").get("code").asText()).isEqualTo("not_found");
    }
    for (String path : List.of("/v1/policies", "/.well-known/authzen-configuration", "/v1/gateway/check")) {
      assertThat(get(path).statusCode()).as(path).isEqualTo(404);
    }
    assertThat(Files.exists(s.decisionLog) ? Files.readString(s.decisionLog) : "").isEmpty();
  }

  @Test
  void theDecisionPortStillRequiresACertificate() throws Exception {
    // trusts the server's certificate but presents none of its own
    HttpClient noCertificate = HttpClient.newBuilder().sslContext(TestPki.context(serverCa, null))
        .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    assertThatThrownBy(() -> noCertificate.send(HttpRequest.newBuilder(URI.create(
        "https://127.0.0.1:" + s.server.port() + "/health/live")).timeout(Duration.ofSeconds(20)).GET().build(),
        HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
  }
}
