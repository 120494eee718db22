package dev.verdict.lang.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdict.lang.LoadResult;
import dev.verdict.lang.Verdict;
import dev.verdict.lang.eval.Authorizer;
import dev.verdict.lang.eval.PolicySet;
import dev.verdict.lang.eval.QueryPlanner;
import dev.verdict.lang.eval.Request;
import dev.verdict.lang.eval.RequestJson;
import dev.verdict.lang.plan.FilterMatcher;
import dev.verdict.lang.plan.Plan;
import dev.verdict.lang.plan.PlanJson;
import dev.verdict.lang.plan.PlanUnsupported;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plans against decisions, on the semantics generator's random policy sets, entity data and
 * requests: for every (principal, type, action, context) planned, the resources whose data
 * satisfies the plan's filter are exactly those a decision allows. Requests carry missing and
 * wrongly typed attributes, so the fail-closed residuals are exercised. A plan the planner
 * refuses ({@link PlanUnsupported}) is counted, never compared: refusing is always allowed.
 */
class PlanDifferentialTest {
  private static final long SEED = Long.getLong("verdict.planSeed", 0x91a4_5eedL);
  private static final int SETS = 600;
  private static final int REQUESTS_PER_SET = 12;
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void resourcesMatchingThePlanAreExactlyThoseDecideAllows(@TempDir Path tmp) throws Exception {
    int compared = 0;
    int allowed = 0;
    int unsupported = 0;
    Map<Plan.Kind, Integer> kinds = new EnumMap<>(Plan.Kind.class);
    for (int s = 0; s < SETS; s++) {
      long seed = SEED + s;
      RandomPolicies gen = new RandomPolicies(seed);
      String source = gen.policySource();
      ArrayNode data = gen.entityData();
      Path dir = tmp.resolve("set" + s);
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("policy.verdict"), source);
      Files.writeString(dir.resolve("org.entities.json"), JSON.writeValueAsString(data));
      LoadResult loaded = Verdict.load(dir);
      if (!loaded.ok()) {
        fail("seed %d: generated policy set does not load: %s%n%s", seed, loaded.diagnostics(), source);
      }
      PolicySet set = loaded.policySet().orElseThrow();
      List<ObjectNode> jsons = new ArrayList<>();
      List<Request> requests = new ArrayList<>();
      for (int q = 0; q < REQUESTS_PER_SET; q++) {
        ObjectNode json = gen.request();
        json.remove("entities"); // a plan sees the set's entity data only
        jsons.add(json);
        requests.add(RequestJson.parse(json));
      }
      for (int q = 0; q < requests.size(); q++) {
        Request asked = requests.get(q);
        String type = asked.resource().uid().type();
        Plan plan;
        try {
          plan = QueryPlanner.plan(set, asked.principal(), type, asked.action(), asked.context());
        } catch (PlanUnsupported e) {
          unsupported++;
          continue;
        }
        kinds.merge(plan.kind(), 1, Integer::sum);
        FilterMatcher matcher = new FilterMatcher(set.entities(), asked.principal());
        for (int r = 0; r < requests.size(); r++) {
          if (!requests.get(r).resource().uid().type().equals(type)) {
            continue;
          }
          Request one = new Request(asked.principal(), requests.get(r).resource(), asked.action(), asked.context(),
              List.of());
          boolean decided = Authorizer.decide(set, one).allowed();
          boolean matched = matcher.matches(plan.filter(), one.resource());
          if (decided != matched) {
            fail("seed %d request %d resource of request %d: decide says %s, the plan says %s%n--- policy%n%s"
                    + "--- request%n%s%n--- resource%n%s%n--- plan%n%s", seed, q, r, decided, matched, source,
                jsons.get(q).toPrettyString(), jsons.get(r).get("resource").toPrettyString(),
                PlanJson.write(plan).toPrettyString());
          }
          compared++;
          allowed += decided ? 1 : 0;
        }
      }
    }
    System.out.printf("plan differential: %d compared, %d allowed, %d plans refused, kinds %s%n", compared, allowed,
        unsupported, kinds);
    // The comparison proves little unless every kind of plan and outcome is reached often.
    assertThat(kinds.getOrDefault(Plan.Kind.CONDITIONAL, 0)).isGreaterThan(SETS / 5);
    assertThat(kinds.getOrDefault(Plan.Kind.ALWAYS_ALLOWED, 0)).isGreaterThan(SETS / 20);
    assertThat(kinds.getOrDefault(Plan.Kind.ALWAYS_DENIED, 0)).isGreaterThan(SETS / 2);
    assertThat(allowed).isGreaterThan(compared / 20);
    assertThat(compared - allowed).isGreaterThan(compared / 10);
  }
}
