package dev.verdict.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-action shapes (issue 13 gap 3): a request is checked against what its action declares
 * with {@code action NAME { … }} on every decision path ({@code verdict eval},
 * {@code /v1/decisions}, AuthZEN; a {@code test} block that does not fit is refused by the
 * checker), and an attribute only another action requires is not required for this one.
 */
class ActionShapesPathsTest {
  @TempDir
  static Path tmp;
  static DecisionPaths paths;

  static final String SET = """
      entity User
      entity Service
      entity Account {
        owner: String
      }
      entity Card

      context {
        mfa?: Bool
      }

      action transfer {
        principal: User
        resource: Account
        context {
          amount: Number
          from: Ip
          memo?: String
        }
      }

      action read {
        resource: Account, Card
      }

      policy accounts on Account {
        permit read when resource.owner == principal.id
        permit transfer when resource.owner == principal.id and context.amount <= 100
          and cidr(context.from, "10.0.0.0/8")
      }
      """;

  @BeforeAll
  static void start() throws Exception {
    Path dir = tmp.resolve("set");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("p.verdict"), SET, StandardCharsets.UTF_8);
    paths = new DecisionPaths(dir, tmp.resolve("work"));
  }

  @AfterAll
  static void stop() {
    paths.close();
  }

  static JsonNode request(String principalType, String resourceType, String action, String context)
      throws Exception {
    return DecisionPaths.JSON.readTree("{\"principal\":{\"type\":\"" + principalType + "\",\"id\":\"alice\"},"
        + "\"resource\":{\"type\":\"" + resourceType + "\",\"id\":\"a1\",\"owner\":\"alice\"},"
        + "\"action\":\"" + action + "\",\"context\":" + context + "}");
  }

  /** The outcome on eval, the native API, AuthZEN and a test block, in that order. */
  static List<String> outcomes(JsonNode request) throws Exception {
    List<String> out = new ArrayList<>();
    out.add(paths.eval(request).path("decision").asText());
    out.add(paths.nativeApi(request).path("decision").asText());
    out.add(paths.authZen(request).path("decision").asText());
    out.add(paths.testBlocks(List.of(request)).get(0).path("decision").asText());
    return out;
  }

  static void refusedEverywhere(JsonNode r, String path, String message) throws Exception {
    JsonNode want = DecisionPaths.invalid(path);
    assertThat(paths.eval(r)).isEqualTo(want);
    assertThat(paths.nativeApi(r)).isEqualTo(want);
    assertThat(paths.authZen(r)).isEqualTo(want);
    // a test block that does not fit its action is refused by `verdict check` (V1604,
    // TestShapesCheckTest), before it could run
    assertThat(paths.testBlocks(List.of(r)).get(0).path("refusedByChecker").asBoolean()).isTrue();
  }

  @Test
  void anAttributeOnlyTransferRequiresIsNotRequiredForARead() throws Exception {
    assertThat(outcomes(request("User", "Account", "read", "{}"))).containsOnly("allow");
  }

  @Test
  void aTransferWithItsContextIsDecidedAndItsIpIsReadAsAnIp() throws Exception {
    assertThat(outcomes(request("User", "Account", "transfer", "{\"amount\":40,\"from\":\"10.1.2.3\"}")))
        .containsOnly("allow");
    assertThat(outcomes(request("User", "Account", "transfer", "{\"amount\":400,\"from\":\"10.1.2.3\"}")))
        .containsOnly("deny");
  }

  @Test
  void aTransferWithoutItsRequiredAmountIsRefusedNamingThePath() throws Exception {
    refusedEverywhere(request("User", "Account", "transfer", "{\"from\":\"10.1.2.3\"}"), "$.context.amount",
        "requires");
  }

  @Test
  void aWrongTypedPerActionAttributeIsRefusedNamingThePath() throws Exception {
    refusedEverywhere(request("User", "Account", "transfer", "{\"amount\":\"40\",\"from\":\"10.1.2.3\"}"),
        "$.context.amount", "Number");
    refusedEverywhere(request("User", "Account", "transfer", "{\"amount\":40,\"from\":\"nowhere\"}"),
        "$.context.from", "Ip");
  }

  @Test
  void aResourceOrPrincipalOfAnotherTypeIsRefused() throws Exception {
    refusedEverywhere(request("User", "Card", "transfer", "{\"amount\":40,\"from\":\"10.1.2.3\"}"),
        "$.resource.type", "`Account`");
    refusedEverywhere(request("Service", "Account", "transfer", "{\"amount\":40,\"from\":\"10.1.2.3\"}"),
        "$.principal.type", "`User`");
  }

  @Test
  void eachItemOfANativeBatchIsCheckedAgainstItsOwnAction() throws Exception {
    TestServer.Response r = paths.post("/v1/decisions", "{\"principal\":{\"type\":\"User\",\"id\":\"alice\"},"
        + "\"resources\":[{\"type\":\"Account\",\"id\":\"a1\",\"owner\":\"alice\"}],"
        + "\"actions\":[\"read\",\"transfer\"],\"context\":{}}");
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.json().at("/error/code").asText()).isEqualTo("invalid_request");
    assertThat(r.json().at("/error/details/path").asText()).isEqualTo("$.context.amount");
  }

  @Test
  void anActionSearchListsOnlyTheActionsTheQuestionFits() throws Exception {
    String ask = "{\"subject\":{\"type\":\"User\",\"id\":\"alice\"},"
        + "\"resource\":{\"type\":\"Account\",\"id\":\"a1\",\"properties\":{\"owner\":\"alice\"}},\"context\":";
    TestServer.Response without = paths.post("/access/v1/search/action", ask + "{}}");
    assertThat(without.status()).as(without.body()).isEqualTo(200);
    assertThat(without.json().get("results").toString()).isEqualTo("[{\"name\":\"read\"}]");
    TestServer.Response with = paths.post("/access/v1/search/action", ask + "{\"amount\":5,\"from\":\"10.0.0.1\"}}");
    assertThat(with.json().get("results").toString()).isEqualTo("[{\"name\":\"read\"},{\"name\":\"transfer\"}]");
  }

  @Test
  void anAuthZenCallerIsToldTheMemberItSentNotTheEnginesName() throws Exception {
    TestServer.Response one = paths.post("/access/v1/evaluation", "{\"subject\":{\"type\":\"Service\",\"id\":\"s\"},"
        + "\"resource\":{\"type\":\"Account\",\"id\":\"a1\",\"properties\":{\"owner\":\"s\"}},"
        + "\"action\":{\"name\":\"transfer\"},\"context\":{\"amount\":1,\"from\":\"10.0.0.1\"}}");
    assertThat(one.status()).as(one.body()).isEqualTo(400);
    assertThat(one.json().at("/error/details/path").asText()).isEqualTo("$.subject.type");

    TestServer.Response batch = paths.post("/access/v1/evaluations", "{\"subject\":{\"type\":\"User\",\"id\":\"alice\"},"
        + "\"resource\":{\"type\":\"Account\",\"id\":\"a1\",\"properties\":{\"owner\":\"alice\"}},"
        + "\"evaluations\":[{\"action\":{\"name\":\"read\"}},"
        + "{\"action\":{\"name\":\"transfer\"},\"context\":{\"from\":\"10.0.0.1\"}}]}");
    assertThat(batch.status()).as(batch.body()).isEqualTo(200);
    assertThat(batch.json().at("/evaluations/0/decision").asBoolean()).isTrue();
    assertThat(batch.json().at("/evaluations/1/context/error/path").asText())
        .isEqualTo("$.evaluations[1].context.amount");
  }
}
