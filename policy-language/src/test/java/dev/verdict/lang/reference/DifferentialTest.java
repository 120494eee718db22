package dev.verdict.lang.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdict.lang.LoadResult;
import dev.verdict.lang.Verdict;
import dev.verdict.lang.eval.Authorizer;
import dev.verdict.lang.eval.Decision;
import dev.verdict.lang.eval.PolicySet;
import dev.verdict.lang.eval.Request;
import dev.verdict.lang.eval.RequestJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The indexed, planned {@link Authorizer} against the naive {@link ReferenceAuthorizer} on
 * random policy sets and requests from a fixed seed. A failure prints the seed, the policy,
 * the entity data, the request and both answers, so it can be replayed as a semantics case.
 */
class DifferentialTest {
  /** Fixed so that runs are reproducible; {@code -Dverdict.diffSeed=N} explores other seeds. */
  private static final long SEED = Long.getLong("verdict.diffSeed", 0x5eed_7e57L);
  private static final int SETS = 1_000;
  private static final int REQUESTS_PER_SET = 10;
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void indexedAuthorizerAgreesWithTheReference(@TempDir Path tmp) throws Exception {
    int decisions = 0;
    int allows = 0;
    int withErrors = 0;
    int withMasks = 0;
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
      ReferenceAuthorizer reference = new ReferenceAuthorizer(dev.verdict.lang.eval.PolicySetInternals.files(set), data);
      for (int q = 0; q < REQUESTS_PER_SET; q++) {
        ObjectNode json = gen.request();
        Request request = RequestJson.parse(json);
        String replay = String.format("seed %d request %d%n--- policy.verdict%n%s--- org.entities.json%n%s%n--- request%n%s%n",
            seed, q, source, data, json.toPrettyString());
        Decision actual;
        Decision explained;
        try {
          actual = Authorizer.decide(set, request, false);
          explained = Authorizer.decide(set, request, true);
        } catch (RuntimeException | StackOverflowError e) {
          throw new AssertionError("Authorizer.decide threw on " + replay, e);
        }
        ReferenceAuthorizer.Result expected = reference.decide(json);
        String both = replay + "--- production: " + describe(actual) + "\n--- reference:  " + expected + "\n";
        assertThat(actual.allowed()).as("outcome; %s", both).isEqualTo(expected.allow());
        assertThat(new HashSet<>(actual.reasons())).as("reasons; %s", both).isEqualTo(new HashSet<>(expected.reasons()));
        assertThat(readMask(actual)).as("read mask; %s", both).isEqualTo(new TreeMap<>(expected.readMask()));
        assertThat(new TreeSet<>(actual.writeDenied())).as("write mask; %s", both)
            .isEqualTo(new TreeSet<>(expected.writeDenied()));
        assertThat(actual.errors()).as("errors; %s", both).hasSize(expected.errors());
        assertThat(describe(explained)).as("explain gives the same decision; %s", both).isEqualTo(describe(actual));
        decisions++;
        allows += actual.allowed() ? 1 : 0;
        withErrors += actual.errors().isEmpty() ? 0 : 1;
        withMasks += actual.readMask().isEmpty() && actual.writeDenied().isEmpty() ? 0 : 1;
      }
    }
    System.out.printf("differential: %d decisions, %d allowed, %d with errors, %d with masks%n",
        decisions, allows, withErrors, withMasks);
    // The generator must reach every kind of outcome, or agreement proves little.
    assertThat(decisions).isEqualTo(SETS * REQUESTS_PER_SET);
    assertThat(allows).as("allowed decisions").isGreaterThan(decisions / 10);
    assertThat(decisions - allows).as("denied decisions").isGreaterThan(decisions / 10);
    assertThat(withErrors).as("decisions with errors").isGreaterThan(decisions / 20);
    assertThat(withMasks).as("decisions with masks").isGreaterThan(decisions / 20);
  }

  private static Map<String, String> readMask(Decision d) {
    Map<String, String> out = new TreeMap<>();
    d.readMask().forEach((k, v) -> out.put(k, v.text()));
    return out;
  }

  private static String describe(Decision d) {
    return d.outcome().word() + " reasons=" + d.reasons() + " readMask=" + readMask(d) + " writeDenied="
        + new TreeSet<>(d.writeDenied()) + " errors=" + d.errors();
  }
}
