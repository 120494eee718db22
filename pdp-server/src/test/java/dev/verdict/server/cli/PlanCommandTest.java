package dev.verdict.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code verdict plan}: text and JSON output, and its errors. */
class PlanCommandTest {
  private static final Path BANKING = Path.of("../policies/banking");

  private static Path request(Path dir, String json) throws Exception {
    Path f = dir.resolve("plan.json");
    Files.writeString(f, json);
    return f;
  }

  @Test
  void printsThePlanAsText(@TempDir Path tmp) throws Exception {
    Path req = request(tmp, "{\"principal\": {\"id\": \"alice\", \"roles\": [\"customer\"], \"tenant\": \"bank1\"},"
        + " \"resourceType\": \"Account\", \"action\": \"read\"}");

    CliRun r = CliRun.of("plan", BANKING.toString(), "--request", req.toString());

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("plan:     CONDITIONAL\n"
        + "rules:    tenant-isolation, owner-access\n"
        + "filter:   resource.tenant == \"bank1\" and resource.owner == \"alice\"\n"
        + "version:  sha256:");
  }

  @Test
  void printsThePlanAsJson(@TempDir Path tmp) throws Exception {
    Path req = request(tmp, "{\"principal\": {\"id\": \"root\", \"roles\": [\"admin\"], \"tenant\": \"bank1\"},"
        + " \"resourceType\": \"Account\", \"action\": \"close\"}");

    CliRun r = CliRun.of("plan", BANKING.toString(), "--request", req.toString(), "--format", "json");

    assertThat(r.code()).as(r.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("kind").asText()).isEqualTo("CONDITIONAL");
    assertThat(j.get("rules").toString()).isEqualTo("[\"tenant-isolation\",\"admin-all\"]");
    assertThat(j.get("filter").toString()).isEqualTo("{\"op\":\"==\",\"path\":[\"tenant\"],\"value\":\"bank1\"}");
  }

  @Test
  void aMissingActionOrABadPrincipalIsAUsageError(@TempDir Path tmp) throws Exception {
    CliRun noAction = CliRun.of("plan", BANKING.toString(), "--request",
        request(tmp, "{\"principal\": {\"id\": \"alice\"}, \"resourceType\": \"Account\"}").toString());
    assertThat(noAction.code()).isEqualTo(VerdictCommand.USAGE);
    assertThat(noAction.err()).startsWith("error: invalid request at $.action: `action` must be an action name");

    CliRun badPrincipal = CliRun.of("plan", BANKING.toString(), "--request",
        request(tmp, "{\"principal\": {\"id\": 3}, \"resourceType\": \"Account\", \"action\": \"read\"}").toString());
    assertThat(badPrincipal.code()).isEqualTo(VerdictCommand.USAGE);
    assertThat(badPrincipal.err()).startsWith("error: invalid request at $.principal");
  }

  /** plan reads a request as the server reads a body: a member named twice is refused, not last-wins. */
  @Test
  void aMemberNamedTwiceIsRefusedAsTheServerRefusesIt(@TempDir Path tmp) throws Exception {
    CliRun twice = CliRun.of("plan", BANKING.toString(), "--request", request(tmp,
        "{\"principal\": {\"id\": \"alice\"}, \"resourceType\": \"Account\", \"action\": \"read\","
        + " \"action\": \"close\"}").toString());

    assertThat(twice.code()).isEqualTo(VerdictCommand.USAGE);
    assertThat(twice.err()).contains("a member appears twice in one JSON object").doesNotContain("Exception");
    assertThat(twice.out()).isEmpty();
  }

  @Test
  void aRuleFiltersCannotExpressSaysWhichAndWhatToDo(@TempDir Path tmp) throws Exception {
    Path set = Files.createDirectories(tmp.resolve("set"));
    Files.writeString(set.resolve("tags.verdict"), "policy tagged on Tag {\n  @id(\"many\")\n"
        + "  permit read when size(resource.labels) > 1\n}\n");
    CliRun r = CliRun.of("plan", set.toString(), "--request",
        request(tmp, "{\"principal\": {\"id\": \"alice\"}, \"resourceType\": \"Tag\", \"action\": \"read\"}").toString());

    assertThat(r.code()).isEqualTo(VerdictCommand.POLICY_ERRORS);
    assertThat(r.err()).startsWith("error: no plan: rule many: `size(resource.labels)` at ")
        .contains("tags.verdict:3:20").contains("decide per resource");
    assertThat(r.out()).isEmpty();
  }

  /** A plan is checked against the action's declared shape, as `verdict eval` checks a decision. */
  @Test
  void aPlanThatDoesNotFitTheActionsShapeIsAnInvalidRequest(@TempDir Path tmp) throws Exception {
    Path set = Files.createDirectories(tmp.resolve("set"));
    Files.writeString(set.resolve("p.verdict"), "entity User\nentity Account { owner: String }\nentity Card\n"
        + "action transfer {\n  resource: Account\n  context {\n    amount: Number\n  }\n}\n"
        + "policy accounts on Account {\n  permit transfer when resource.owner == principal.id\n}\n");
    CliRun card = CliRun.of("plan", set.toString(), "--request", request(tmp, "{\"principal\": {\"id\": \"alice\"},"
        + " \"resourceType\": \"Card\", \"action\": \"transfer\", \"context\": {\"amount\": 3}}").toString());
    assertThat(card.code()).as(card.out()).isEqualTo(VerdictCommand.USAGE);
    assertThat(card.err()).startsWith("error: invalid request at $.resourceType: action `transfer` applies to "
        + "resources of type `Account`, not `Card`");
    assertThat(card.out()).doesNotContain("plan:");

    CliRun noAmount = CliRun.of("plan", set.toString(), "--request", request(tmp, "{\"principal\": {\"id\": \"alice\"},"
        + " \"resourceType\": \"Account\", \"action\": \"transfer\"}").toString());
    assertThat(noAmount.code()).isEqualTo(VerdictCommand.USAGE);
    assertThat(noAmount.err()).startsWith("error: invalid request at $.context.amount: action `transfer` requires");

    CliRun fits = CliRun.of("plan", set.toString(), "--request", request(tmp, "{\"principal\": {\"id\": \"alice\"},"
        + " \"resourceType\": \"Account\", \"action\": \"transfer\", \"context\": {\"amount\": 3}}").toString());
    assertThat(fits.code()).as(fits.err()).isZero();
    assertThat(fits.out()).startsWith("plan:     CONDITIONAL");
  }
}
