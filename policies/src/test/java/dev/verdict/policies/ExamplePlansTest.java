package dev.verdict.policies;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdict.engine.Engine;
import dev.verdict.engine.PolicySource;
import dev.verdict.lang.eval.Authorizer;
import dev.verdict.lang.eval.EntityData;
import dev.verdict.lang.eval.PolicySet;
import dev.verdict.lang.eval.Request;
import dev.verdict.lang.eval.RequestJson;
import dev.verdict.lang.eval.Value;
import dev.verdict.lang.plan.FilterMatcher;
import dev.verdict.lang.plan.Plan;
import dev.verdict.lang.plan.PlanJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Query plans of the example sets, as golden files under {@code src/test/resources/plans}: a
 * change to the planner or to a set shows up as a diff to review. Run with
 * {@code -Dverdict.updateGolden=true} to rewrite them. Each plan is also checked against
 * decisions on every entity of its type in the set's entity data. The policy version is left
 * out of the files, so editing a set changes them only where its plans change.
 */
class ExamplePlansTest {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final Path GOLDEN = Path.of("src/test/resources/plans");
  /** A Tuesday at 10:00 UTC: inside the admin set's business hours. */
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-13T10:00:00Z"), ZoneOffset.UTC);

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("banking", "customer-reads-accounts",
            "{\"id\": \"alice\", \"roles\": [\"customer\"], \"tenant\": \"bank1\", \"branch\": \"b-leeds\"}",
            "Account", "read", "{}"),
        Arguments.of("banking", "teller-deposits",
            "{\"id\": \"tom\", \"roles\": [\"teller\"], \"tenant\": \"bank1\", \"branch\": \"b-leeds\"}",
            "Account", "deposit", "{}"),
        Arguments.of("banking", "auditor-reads-region",
            "{\"id\": \"ada\", \"roles\": [\"auditor\"], \"tenant\": \"bank1\","
                + " \"region\": {\"__entity\": {\"type\": \"Region\", \"id\": \"north\"}}}",
            "Account", "read", "{}"),
        Arguments.of("banking", "customer-transfers-with-mfa",
            "{\"id\": \"alice\", \"roles\": [\"customer\"], \"tenant\": \"bank1\"}",
            "Account", "transfer", "{\"mfa\": true}"),
        Arguments.of("documents", "engineer-reads-documents",
            "{\"id\": \"alice\", \"roles\": [\"user\"], \"tenant\": \"acme\"}", "Document", "read", "{}"),
        Arguments.of("documents", "lawyer-reads-documents",
            "{\"id\": \"lena\", \"roles\": [\"user\"], \"tenant\": \"acme\"}", "Document", "read", "{}"),
        Arguments.of("documents", "engineer-updates-documents",
            "{\"id\": \"alice\", \"roles\": [\"user\"], \"tenant\": \"acme\"}", "Document", "update", "{}"),
        Arguments.of("admin-api", "admin-lists-users",
            "{\"id\": \"root\", \"roles\": [\"admin\"], \"tenant\": \"t1\"}", "User", "list", "{\"ip\": \"10.1.2.3\"}"),
        Arguments.of("admin-api", "admin-deletes-users",
            "{\"id\": \"root\", \"roles\": [\"admin\"], \"tenant\": \"t1\"}", "User", "delete", "{\"ip\": \"10.1.2.3\"}"),
        Arguments.of("admin-api", "user-edits-own-profile",
            "{\"id\": \"u1\", \"roles\": [\"user\"], \"tenant\": \"t1\"}", "User", "edit_profile", "{\"ip\": \"10.1.2.3\"}"),
        Arguments.of("admin-api", "admin-from-outside", "{\"id\": \"root\", \"roles\": [\"admin\"], \"tenant\": \"t1\"}",
            "User", "read", "{\"ip\": \"203.0.113.9\"}"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void planMatchesItsGoldenFileAndTheDecisions(String setName, String name, String principalJson, String type,
      String action, String contextJson) throws Exception {
    Engine engine = Engine.builder(PolicySource.directory(Path.of(setName))).clock(CLOCK).buildOrThrow();
    PolicySet set = engine.active().orElseThrow().set();
    EntityData principal = RequestJson.entityAt(JSON.readTree(principalJson), "$.principal", "User", set.types());
    Map<String, Value> context = RequestJson.contextAt(JSON.readTree(contextJson), "$.context", set.types());

    Plan plan = engine.plan(principal, type, action, context);

    ObjectNode json = PlanJson.write(plan);
    json.put("policyVersion", "(the set's version)");
    String actual = JSON.writeValueAsString(json) + "\n";
    Path file = GOLDEN.resolve(setName + "-" + name + ".json");
    if (Boolean.getBoolean("verdict.updateGolden")) {
      Files.writeString(file, actual);
    }
    assertThat(file).as("golden plan; run with -Dverdict.updateGolden=true to create it").exists();
    assertThat(actual).as("plan of %s for %s", setName, name).isEqualTo(Files.readString(file));

    Map<String, Value> stamped = new java.util.HashMap<>(context);
    stamped.put("now", new Value.Time(CLOCK.millis()));
    FilterMatcher matcher = new FilterMatcher(set.entities(), principal);
    List<EntityData> resources = set.entities().ofType(type);
    for (EntityData resource : resources) {
      boolean decided = Authorizer.decide(set, new Request(principal, resource, action, stamped, List.of())).allowed();
      assertThat(matcher.matches(plan.filter(), resource)).as("plan on %s", resource.uid()).isEqualTo(decided);
    }
  }
}
