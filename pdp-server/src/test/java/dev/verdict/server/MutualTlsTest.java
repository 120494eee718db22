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
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS with client certificates required: certificates are issued at test time by two CAs, one
 * the server trusts for clients and one it does not. The server's own certificate comes from a
 * third CA, which every client trusts.
 */
class MutualTlsTest {
  static final String BODY = "{\"subject\":" + TestServer.subject("alice") + ",\"resource\":"
      + TestServer.account("a1", "alice") + ",\"action\":{\"name\":\"read\"}}";

  @TempDir
  static Path tmp;
  static TestServer s;
  static TestPki.Issued serverCa;
  static TestPki.Issued clientCa;
  static TestPki.Issued otherCa;
  static TestPki.Issued orders;
  static TestPki.Issued stranger;
  static TestPki.Issued impostor;

  @BeforeAll
  static void start() throws Exception {
    if (!TestPki.opensslPresent()) {
      if (System.getenv("CI") != null) {
        fail("openssl is missing on CI; the mTLS test needs it to issue certificates");
      }
      Assumptions.abort("skipped: the `openssl` command is not installed, and this test uses it to issue "
          + "certificates (apt-get install -y openssl)");
    }
    Path pki = Files.createDirectories(tmp.resolve("pki"));
    TestPki ca = new TestPki(pki);
    serverCa = ca.authority("server");
    clientCa = ca.authority("clients");
    otherCa = ca.authority("other");
    TestPki.Issued serverCert = ca.server(serverCa, "server");
    orders = ca.client(clientCa, "orders", "/O=Example/CN=orders");
    stranger = ca.client(clientCa, "stranger", "/O=Example/CN=stranger");
    // The same subject as a mapped caller, but vouched for by a CA the server does not trust.
    impostor = ca.client(otherCa, "impostor", "/O=Example/CN=orders");
    ServerConfig.Tls tls = new ServerConfig.Tls(serverCert.cert(), serverCert.key(), Optional.of(clientCa.cert()));
    List<CertificateCaller> callers = List.of(new CertificateCaller("CN=orders,O=Example", "orders-service",
        Set.of(Scope.DECIDE)));
    s = new TestServer(tmp, c -> c.withApiKeys(List.of()).withTls(tls, callers));
  }

  @AfterAll
  static void stop() {
    if (s != null) {
      s.close();
    }
  }

  private static HttpResponse<String> post(TestPki.Issued identity, String path, String body, String requestId)
      throws Exception {
    SSLContext context = TestPki.context(serverCa, identity);
    HttpClient client = HttpClient.newBuilder().sslContext(context).version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + s.server.port() + path))
        .header("Content-Type", "application/json").header("X-Request-ID", requestId)
        .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theServerSpeaksHttpsOnly() {
    assertThat(s.server.address()).startsWith("https://127.0.0.1:");
    assertThatThrownBy(() -> s.post("/access/v1/evaluation", BODY)).isInstanceOf(RuntimeException.class);
  }

  @Test
  void aMappedCertificateIsTheConfiguredCaller() throws Exception {
    HttpResponse<String> r = post(orders, "/access/v1/evaluation", BODY, "mtls-orders-1");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(TestServer.JSON.readTree(r.body()).get("decision").booleanValue()).isTrue();
    String line = DecisionLogTest.awaitLine(s.decisionLog, "mtls-orders-1");
    assertThat(TestServer.JSON.readTree(line).get("caller").asText()).isEqualTo("orders-service");
  }

  @Test
  void aDecideCertificateIsNoAdminCredential() throws Exception {
    HttpResponse<String> r = post(orders, "/v1/policies/reload", "", "mtls-orders-2");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(TestServer.JSON.readTree(r.body()).get("error").get("code").asText()).isEqualTo("forbidden");
  }

  @Test
  void anUnmappedSubjectIsForbidden() throws Exception {
    HttpResponse<String> r = post(stranger, "/access/v1/evaluation", BODY, "mtls-stranger-1");
    assertThat(r.statusCode()).isEqualTo(403);
    var error = TestServer.JSON.readTree(r.body()).get("error");
    assertThat(error.get("code").asText()).isEqualTo("forbidden");
    assertThat(error.get("message").asText()).contains("decide");
  }

  @Test
  void noClientCertificateIsRefusedInTheHandshake() {
    assertThatThrownBy(() -> post(null, "/access/v1/evaluation", BODY, "mtls-none-1"))
        .isInstanceOf(IOException.class);
  }

  @Test
  void aCertificateFromAnotherCaIsRefusedInTheHandshake() {
    assertThatThrownBy(() -> post(impostor, "/access/v1/evaluation", BODY, "mtls-impostor-1"))
        .isInstanceOf(IOException.class);
  }

  @Test
  void refusedHandshakesLeaveNoDecisionBehind() throws Exception {
    assertThatThrownBy(() -> post(null, "/access/v1/evaluation", BODY, "mtls-none-2")).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> post(impostor, "/access/v1/evaluation", BODY, "mtls-impostor-2"))
        .isInstanceOf(IOException.class);
    post(orders, "/access/v1/evaluation", BODY, "mtls-orders-3");
    DecisionLogTest.awaitLine(s.decisionLog, "mtls-orders-3");
    assertThat(Files.readString(s.decisionLog)).doesNotContain("mtls-none-2").doesNotContain("mtls-impostor-2");
  }
}
