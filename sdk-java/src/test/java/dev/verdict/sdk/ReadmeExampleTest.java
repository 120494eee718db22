package dev.verdict.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** The README's "From a Java service" lines, as written there, in both modes. */
class ReadmeExampleTest {
  static final JsonNode ACCOUNT = account();

  static JsonNode account() {
    try {
      return new ObjectMapper().readTree("{\"id\": \"A-1001\", \"owner\": \"alice\", \"balance\": 2500,"
          + " \"holder\": {\"name\": \"Alice Archer\", \"ssn\": \"123-45-6789\"}}");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The README's body: allowed with the mask applied, or the reasons and failure. */
  static String readme(VerdictClient verdict) {
    Decision d = verdict.check(Principal.of("alice").roles("customer").attr("tenant", "bank1"),
        Resource.of("Account", "A-1001").attr("owner", "alice").attr("tenant", "bank1"), "read");
    if (!d.allowed()) {
      return "denied " + d.reasons() + " " + d.failure().orElse("");
    }
    return d.applyReadMask(ACCOUNT).toString();
  }

  @Test
  void embeddedTheOwnerSeesTheLastDigitsOfHerSsn() throws Exception {
    try (VerdictClient verdict = VerdictClient.embedded(Pdp.BANKING).noWatch().build()) {
      assertThat(readme(verdict)).contains("\"balance\":2500").contains("6789").doesNotContain("123-45");
    }
  }

  @Test
  void withThePdpStoppedTheSameCodeDeniesAndSaysWhy() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // nothing listens here once closed
    }
    try (VerdictClient verdict = VerdictClient.remote(URI.create("http://127.0.0.1:" + port)).build()) {
      assertThat(readme(verdict)).startsWith("denied").contains("127.0.0.1:" + port);
    }
  }
}
