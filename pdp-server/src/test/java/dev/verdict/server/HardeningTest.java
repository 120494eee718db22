package dev.verdict.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input of every kind gets a JSON error with a path, never a stack trace or class name. */
class HardeningTest {
  @TempDir
  static Path tmp;
  static TestServer s;
  static final List<TestServer.Response> ERRORS = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    s = new TestServer(tmp);
  }

  @AfterAll
  static void stop() {
    s.close();
    assertThat(s.blockingCalls.found()).as("event loop blocked").isEmpty();
    assertThat(ERRORS).isNotEmpty();
    for (TestServer.Response r : ERRORS) {
      assertThat(r.body()).doesNotContain("Exception").doesNotContain("dev.verdict").doesNotContain("io.vertx")
          .doesNotContain("com.fasterxml").doesNotContain("\tat ").doesNotContain("java.");
      assertThat(r.header("Content-Type")).isEqualTo("application/json");
    }
  }

  static TestServer.Response error(TestServer.Response r, int status, String code) {
    ERRORS.add(r);
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.json().get("error").get("code").asText()).isEqualTo(code);
    assertThat(r.json().get("error").get("message").asText()).isNotBlank();
    assertThat(r.json().get("error").get("details").isObject()).isTrue();
    return r;
  }

  @Test
  void malformedJsonIsInvalidJsonWithAPlace() {
    TestServer.Response r = error(s.post("/access/v1/evaluation", "{\"subject\": {\"type\": }"), 400, "invalid_json");
    assertThat(r.json().get("error").get("details").get("path").asText()).isEqualTo("$.subject.type");
    assertThat(r.json().get("error").get("details").get("line").asInt()).isEqualTo(1);
    error(s.post("/v1/decisions", ""), 400, "invalid_json");
    error(s.post("/v1/decisions", "{} {}"), 400, "invalid_json");
    error(s.post("/v1/decisions", "{\"a\":1,\"a\":2}"), 400, "invalid_json");
    error(s.post("/v1/decisions", "\u00ff\u00fe"), 400, "invalid_json");
    TestServer.Response notObject = error(s.post("/v1/decisions", "[1,2]"), 400, "invalid_request");
    assertThat(notObject.json().get("error").get("details").get("path").asText()).isEqualTo("$");
  }

  @Test
  void tooDeepTooLongAndTooBigAreRefused() {
    String deep = "{\"context\":" + "[".repeat(40) + "]".repeat(40) + "}";
    TestServer.Response d = error(s.post("/access/v1/evaluation", deep), 400, "invalid_json");
    assertThat(d.json().get("error").get("message").asText()).isEqualTo("JSON nested deeper than 32 levels");
    String longString = "{\"context\":{\"x\":\"" + "a".repeat(70_000) + "\"}}";
    TestServer.Response l = error(s.post("/access/v1/evaluation", longString), 400, "invalid_json");
    assertThat(l.json().get("error").get("message").asText()).contains("longer than 65536");
    String longNumber = "{\"context\":{\"x\":" + "9".repeat(200) + "}}";
    error(s.post("/access/v1/evaluation", longNumber), 400, "invalid_json");
    String big = "{\"context\":{" + "\"k\":\"" + "b".repeat(60_000) + "\",".repeat(1) + "\"pad\":[" + "1,".repeat(600_000)
        + "1]}}";
    error(s.post("/access/v1/evaluation", big), 413, "payload_too_large");
  }

  /** {@code curl -d} labels JSON as a form: every size is read the same (issue 9, item 12). */
  @Test
  void jsonUnderTheFormContentTypeIsReadAtEverySize() {
    String small = "{\"subject\":" + TestServer.subject("alice") + ",\"resource\":" + TestServer.account("a1", "alice")
        + ",\"action\":{\"name\":\"read\"}}";
    String large = "{\"subject\":" + TestServer.subject("alice") + ",\"resource\":" + TestServer.account("a1", "alice")
        + ",\"action\":{\"name\":\"read\"},\"context\":{\"note\":\"" + "n".repeat(4_000) + "\"}}";
    for (String body : new String[] {small, large}) {
      TestServer.Response r = s.post("/access/v1/evaluation", body,
          "Content-Type", "application/x-www-form-urlencoded");
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      assertThat(r.json().get("decision").booleanValue()).isTrue();
    }
    TestServer.Response batch = s.post("/v1/decisions", "{\"principal\":{\"type\":\"User\",\"id\":\"alice\","
        + "\"tenant\":\"t1\",\"roles\":[]},\"resources\":[{\"type\":\"Account\",\"id\":\"a1\",\"owner\":\"alice\","
        + "\"tenant\":\"t1\"}],\"actions\":[\"read\"],\"context\":{\"pad\":\"" + "p".repeat(2_000) + "\"}}",
        "Content-Type", "application/x-www-form-urlencoded");
    assertThat(batch.status()).as(batch.body()).isEqualTo(200);
  }

  @Test
  void unknownMembersAreTolerated() {
    TestServer.Response r = s.post("/access/v1/evaluation", "{\"subject\":" + TestServer.subject("alice")
        + ",\"resource\":" + TestServer.account("a1", "alice") + ",\"action\":{\"name\":\"read\"},\"future\":{\"x\":1}}");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("decision").booleanValue()).isTrue();
  }

  @Test
  void unknownPathsAndWrongMethodsAreJson() {
    TestServer.Response nf = error(s.get("/v2/whatever"), 404, "not_found");
    assertThat(nf.json().get("error").get("message").asText()).isEqualTo("no endpoint at `/v2/whatever`");
    TestServer.Response m = error(s.get("/access/v1/evaluation"), 405, "method_not_allowed");
    assertThat(m.json().get("error").get("message").asText()).contains("GET");
    error(s.send(HttpRequest.newBuilder(URI.create(s.base() + "/v1/decisions")).DELETE()), 405, "method_not_allowed");
    error(s.post("/health/live", "{}"), 405, "method_not_allowed");
    error(s.get("/access/v1/evaluation%0d%0aX-Injected:%20yes"), 404, "not_found");
  }

  @Test
  void attributeErrorsFailClosedWithoutLeakingInternals() {
    TestServer.Response r = error(s.post("/access/v1/evaluation", "{\"subject\":{\"type\":\"User\",\"id\":\"a\","
        + "\"properties\":{\"x\":{\"__entity\":5}}},\"resource\":" + TestServer.account("a1", "a")
        + ",\"action\":{\"name\":\"read\"}}"), 400, "invalid_request");
    assertThat(r.json().get("error").get("details").get("path").asText()).startsWith("$.subject.properties.x");
  }

  @Test
  void oversizedHeadersAreRefusedByTheServer() throws Exception {
    // Vert.x answers 431 and closes the connection without `Connection: close`, so this
    // request gets a client of its own: a pooled connection would be dead for the next test.
    java.net.http.HttpClient own = java.net.http.HttpClient.newBuilder()
        .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
    var r = own.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(s.base() + "/health/live"))
        .header("X-Big", "h".repeat(10_000)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isIn(400, 431);
    assertThat(s.get("/health/live").status()).as("the server still answers afterwards").isEqualTo(200);
  }
}
