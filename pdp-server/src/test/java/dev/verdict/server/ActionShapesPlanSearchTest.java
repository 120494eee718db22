package dev.verdict.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-action shapes on the paths that ask about resources or subjects known only by their type:
 * {@code /v1/plan} and the AuthZEN subject and resource searches refuse a question that does not
 * fit the action's declared shape as a decision does (invalid_request, the path in the caller's
 * terms), instead of answering one the action cannot be asked.
 */
class ActionShapesPlanSearchTest {
  @TempDir
  static Path tmp;
  static DecisionPaths paths;

  @BeforeAll
  static void start() throws Exception {
    Path dir = tmp.resolve("set");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("p.verdict"), ActionShapesPathsTest.SET, StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("data.entities.json"), "[{\"uid\":{\"type\":\"User\",\"id\":\"alice\"}},"
        + "{\"uid\":{\"type\":\"Service\",\"id\":\"batch\"}},"
        + "{\"uid\":{\"type\":\"Account\",\"id\":\"a1\"},\"attrs\":{\"owner\":\"alice\"}},"
        + "{\"uid\":{\"type\":\"Card\",\"id\":\"c1\"}}]", StandardCharsets.UTF_8);
    paths = new DecisionPaths(dir, tmp.resolve("work"));
  }

  @AfterAll
  static void stop() {
    paths.close();
  }

  private static void refused(TestServer.Response r, String path, String message) {
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.json().at("/error/code").asText()).isEqualTo("invalid_request");
    assertThat(r.json().at("/error/details/path").asText()).isEqualTo(path);
    assertThat(r.json().at("/error/message").asText()).contains(message);
  }

  private static TestServer.Response plan(String principalType, String resourceType, String action, String context) {
    return paths.post("/v1/plan", "{\"principal\":{\"type\":\"" + principalType + "\",\"id\":\"alice\"},"
        + "\"resourceType\":\"" + resourceType + "\",\"action\":\"" + action + "\",\"context\":" + context + "}");
  }

  @Test
  void aPlanThatFitsTheActionIsPlanned() {
    TestServer.Response r = plan("User", "Account", "transfer", "{\"amount\":40,\"from\":\"10.1.2.3\"}");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("kind").asText()).isEqualTo("CONDITIONAL");
  }

  @Test
  void aPlanForATypeTheActionDoesNotApplyToIsRefusedNamingResourceType() {
    refused(plan("User", "Card", "transfer", "{\"amount\":40,\"from\":\"10.1.2.3\"}"), "$.resourceType",
        "applies to resources of type `Account`, not `Card`");
    refused(plan("Service", "Account", "transfer", "{\"amount\":40,\"from\":\"10.1.2.3\"}"), "$.principal.type",
        "`User`");
  }

  @Test
  void aPlanWithoutARequiredOrWithAWrongTypedContextAttributeIsRefused() {
    refused(plan("User", "Account", "transfer", "{\"from\":\"10.1.2.3\"}"), "$.context.amount", "requires");
    refused(plan("User", "Account", "transfer", "{\"amount\":40,\"from\":\"nowhere\"}"), "$.context.from", "Ip");
    assertThat(plan("User", "Account", "read", "{}").status()).isEqualTo(200);
  }

  @Test
  void aResourceSearchIsRefusedInAuthZenTerms() {
    String ok = "{\"subject\":{\"type\":\"User\",\"id\":\"alice\"},\"action\":{\"name\":\"transfer\"},";
    TestServer.Response fits = paths.post("/access/v1/search/resource", ok
        + "\"resource\":{\"type\":\"Account\"},\"context\":{\"amount\":4,\"from\":\"10.0.0.1\"}}");
    assertThat(fits.status()).as(fits.body()).isEqualTo(200);
    assertThat(fits.json().get("results").toString()).isEqualTo("[{\"type\":\"Account\",\"id\":\"a1\"}]");

    refused(paths.post("/access/v1/search/resource", ok
        + "\"resource\":{\"type\":\"Card\"},\"context\":{\"amount\":4,\"from\":\"10.0.0.1\"}}"),
        "$.resource.type", "not `Card`");
    refused(paths.post("/access/v1/search/resource", ok + "\"resource\":{\"type\":\"Account\"},\"context\":{}}"),
        "$.context.amount", "requires");
    refused(paths.post("/access/v1/search/resource", "{\"subject\":{\"type\":\"Service\",\"id\":\"batch\"},"
        + "\"action\":{\"name\":\"transfer\"},\"resource\":{\"type\":\"Account\"},"
        + "\"context\":{\"amount\":4,\"from\":\"10.0.0.1\"}}"), "$.subject.type", "`User`");
  }

  @Test
  void aSubjectSearchIsRefusedInAuthZenTermsEvenWithNoSubjectStored() {
    String ok = "{\"resource\":{\"type\":\"Account\",\"id\":\"a1\",\"properties\":{\"owner\":\"alice\"}},"
        + "\"action\":{\"name\":\"transfer\"},";
    TestServer.Response fits = paths.post("/access/v1/search/subject", ok
        + "\"subject\":{\"type\":\"User\"},\"context\":{\"amount\":4,\"from\":\"10.0.0.1\"}}");
    assertThat(fits.status()).as(fits.body()).isEqualTo(200);
    assertThat(fits.json().get("results").toString()).isEqualTo("[{\"type\":\"User\",\"id\":\"alice\"}]");

    refused(paths.post("/access/v1/search/subject", ok
        + "\"subject\":{\"type\":\"Service\"},\"context\":{\"amount\":4,\"from\":\"10.0.0.1\"}}"),
        "$.subject.type", "not `Service`");
    refused(paths.post("/access/v1/search/subject", ok
        + "\"subject\":{\"type\":\"Robot\"},\"context\":{\"amount\":4,\"from\":\"10.0.0.1\"}}"),
        "$.subject.type", "not `Robot`");
    refused(paths.post("/access/v1/search/subject", ok
        + "\"subject\":{\"type\":\"User\"},\"context\":{\"amount\":\"4\",\"from\":\"10.0.0.1\"}}"),
        "$.context.amount", "Number");
    refused(paths.post("/access/v1/search/subject", "{\"resource\":{\"type\":\"Card\",\"id\":\"c1\"},"
        + "\"action\":{\"name\":\"transfer\"},\"subject\":{\"type\":\"User\"},"
        + "\"context\":{\"amount\":4,\"from\":\"10.0.0.1\"}}"), "$.resource.type", "not `Card`");
  }
}
