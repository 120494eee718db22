package dev.verdict.sdk.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.sdk.Principal;
import dev.verdict.sdk.VerdictClient;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The filter in a real Jetty 12 (ee10), over the banking set embedded: allowed, 403, masked, mass assignment, 429. */
class VerdictFilterTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String ACCOUNT = "{\"id\":\"A-1001\",\"owner\":\"alice\",\"balance\":2500,"
      + "\"number\":\"4000123412341234\",\"holder\":{\"name\":\"Alice Archer\",\"ssn\":\"123-45-6789\"}}";
  static Server jetty;
  static VerdictClient verdict;
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** The application: it knows nothing of authorization. */
  static final class Accounts extends HttpServlet {
    @Override
    protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
      res.setContentType("application/json");
      if (req.getMethod().equals("GET")) {
        res.getWriter().write(ACCOUNT);
      } else {
        String body = new String(req.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        res.getWriter().write("{\"done\":" + (body.isEmpty() ? "{}" : body) + "}");
      }
    }
  }

  static Optional<Principal> principal(HttpServletRequest r) {
    String user = r.getHeader("X-User");
    if (user == null) {
      return Optional.empty();
    }
    // A low trust score: one transfer a minute under the banking set's limit.
    return Optional.of(Principal.of(user).roles("customer").attr("tenant", "bank1").attr("trust", 30));
  }

  @BeforeAll
  static void start() throws Exception {
    verdict = VerdictClient.embedded(Path.of("../policies/banking")).noWatch().build();
    ServletContextHandler ctx = new ServletContextHandler();
    ctx.addServlet(new ServletHolder(new Accounts()), "/*");
    ctx.addFilter(new FilterHolder(new VerdictFilter(verdict, VerdictFilterTest::principal,
        r -> Map.of("mfa", "yes".equals(r.getHeader("X-MFA"))), 1 << 16, 1 << 20)), "/*",
        EnumSet.of(DispatcherType.REQUEST));
    jetty = new Server(new InetSocketAddress("127.0.0.1", 0));
    jetty.setHandler(ctx);
    jetty.start();
  }

  @AfterAll
  static void stop() throws Exception {
    jetty.stop();
    verdict.close();
  }

  static HttpResponse<String> send(String method, String path, String user, String body, String... headers)
      throws Exception {
    int port = ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (user != null) {
      b.header("X-User", user);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theOwnerGetsHerAccountMasked() throws Exception {
    HttpResponse<String> r = send("GET", "/accounts/A-1001", "alice", null);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.at("/holder/ssn").asText()).isEqualTo("*******6789");
    assertThat(body.at("/holder/name").asText()).isEqualTo("Alice Archer");
    assertThat(body.at("/balance").asInt()).isEqualTo(2500);
  }

  @Test
  void anotherCustomerIsRefused() throws Exception {
    HttpResponse<String> r = send("GET", "/accounts/A-1001", "bob", null);
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(r.body()).at("/error/code").asText()).isEqualTo("forbidden");
    assertThat(r.body()).doesNotContain("123-45-6789");
  }

  @Test
  void unknownRoutesAndMissingCredentialsAreRefused() throws Exception {
    HttpResponse<String> none = send("GET", "/admin/export", "alice", null);
    assertThat(none.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(none.body()).at("/error/details/reasons/0").asText()).isEqualTo("no-route");
    assertThat(send("GET", "/accounts/A-1001", null, null).statusCode()).isEqualTo(401);
  }

  @Test
  void aBodySettingProtectedFieldsIsRefusedNamingThem() throws Exception {
    HttpResponse<String> r = send("PATCH", "/accounts/A-1001", "alice",
        "{\"holder\":{\"name\":\"A. Archer\"},\"owner\":\"mallory\",\"balance\":1000000}");
    assertThat(r.statusCode()).isEqualTo(403);
    JsonNode e = JSON.readTree(r.body()).get("error");
    assertThat(e.get("code").asText()).isEqualTo("forbidden_fields");
    assertThat(e.at("/details/fields").toString()).isEqualTo("[\"balance\",\"owner\"]");
    HttpResponse<String> ok = send("PATCH", "/accounts/A-1001", "alice", "{\"holder\":{\"name\":\"A. Archer\"}}");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(ok.body()).at("/done/holder/name").asText()).isEqualTo("A. Archer");
  }

  @Test
  void aSpentBudgetIs429WithRetryAfter() throws Exception {
    HttpResponse<String> first = send("POST", "/accounts/A-1001/transfers", "alice", "{\"amount\":10}",
        "X-MFA", "yes");
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(first.headers().firstValue("RateLimit-Limit")).contains("1");
    HttpResponse<String> second = send("POST", "/accounts/A-1001/transfers", "alice", "{\"amount\":10}",
        "X-MFA", "yes");
    assertThat(second.statusCode()).isEqualTo(429);
    assertThat(Long.parseLong(second.headers().firstValue("Retry-After").orElseThrow())).isPositive();
  }
}
