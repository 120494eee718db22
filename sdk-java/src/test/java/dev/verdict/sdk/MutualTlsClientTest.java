package dev.verdict.sdk;

import static dev.verdict.sdk.People.A1;
import static dev.verdict.sdk.People.ALICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.verdict.server.TestPki;
import dev.verdict.server.auth.CertificateCaller;
import dev.verdict.server.auth.Scope;
import dev.verdict.server.boot.ServerConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The remote client over mutual TLS: certificates issued at test time, a server that requires one. */
class MutualTlsClientTest {
  @TempDir
  Path tmp;

  @Test
  void aClientWithItsCertificateDecidesAndOneWithoutIsDeniedWithAReason() throws Exception {
    if (!TestPki.opensslPresent()) {
      if (System.getenv("CI") != null) {
        fail("openssl is missing on CI; this test issues certificates with it");
      }
      Assumptions.abort("skipped: the `openssl` command is not installed (apt-get install -y openssl)");
    }
    TestPki pki = new TestPki(Files.createDirectories(tmp.resolve("pki")));
    TestPki.Issued serverCa = pki.authority("server");
    TestPki.Issued clientCa = pki.authority("clients");
    TestPki.Issued serverCert = pki.server(serverCa, "server");
    TestPki.Issued orders = pki.client(clientCa, "orders", "/O=Example/CN=orders");
    ServerConfig.Tls tls = new ServerConfig.Tls(serverCert.cert(), serverCert.key(), Optional.of(clientCa.cert()));
    List<CertificateCaller> callers = List.of(new CertificateCaller("CN=orders,O=Example", "orders-service",
        Set.of(Scope.DECIDE)));
    try (Pdp pdp = new Pdp(tmp, c -> c.withTls(tls, callers))) {
      URI https = URI.create("https://localhost:" + pdp.server.port());
      try (VerdictClient client = VerdictClient.remote(https).sslContext(TestPki.context(serverCa, orders))
          .connectTimeout(Duration.ofSeconds(10)).requestTimeout(Duration.ofSeconds(20)).build()) {
        Decision d = client.check(ALICE, A1, "read");
        assertThat(d.failure()).isEmpty();
        assertThat(d.allowed()).isTrue();
      }
      // trusts the server, presents no certificate: the handshake fails, the check is a deny
      try (VerdictClient anonymous = VerdictClient.remote(https).sslContext(TestPki.context(serverCa, null))
          .connectTimeout(Duration.ofSeconds(10)).requestTimeout(Duration.ofSeconds(20)).retries(0).build()) {
        Decision d = anonymous.check(ALICE, A1, "read");
        assertThat(d.allowed()).isFalse();
        assertThat(d.failure()).isPresent();
      }
    }
  }
}
