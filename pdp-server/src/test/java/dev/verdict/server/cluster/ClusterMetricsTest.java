package dev.verdict.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import dev.verdict.server.TestServer;
import dev.verdict.server.boot.ServerConfig;
import dev.verdict.server.bundle.BundleSignatures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster member's own series (members, migrations, budgets, cache tiers, fail modes, bundle
 * activations): each is published, counts what happened, and is the list docs/operations.md
 * gives under "Cluster", no more and no fewer.
 */
class ClusterMetricsTest {
  private static final Path OPERATIONS = Path.of("../docs/operations.md");
  /** The series this node publishes because it is a cluster member or takes bundle pushes. */
  private static final Pattern OURS = Pattern.compile(
      "^(verdict_(?:cluster|decision_cache|bundle|rate_unavailable)[a-z_]*?)(?:_bucket|_count|_sum|_max)?[{ ]",
      Pattern.MULTILINE);

  @Test
  void bundleActivationsAreCountedAndTimedAndTheClusterSeriesAreTheDocumentedOnes(@TempDir Path tmp)
      throws Exception {
    ECKey key = PolicyPushAloneTest.key("metrics-key");
    Path keys = tmp.resolve("bundle-keys.json");
    Files.writeString(keys, new JWKSet(key.toPublicJWK()).toString());
    int port = ClusterStoresTest.freePort();
    ClusterSettings cluster = ClusterSettings.tcp("metrics-" + UUID.randomUUID(), List.of(), port, "127.0.0.1")
        .withTimings(0, 1, 5);
    try (TestServer s = new TestServer(tmp, c -> PolicyPushAloneTest.admin(c).withBundleKeys(Optional.of(keys))
        .withCluster(Optional.of(cluster), ServerConfig.DecisionCacheMode.CLUSTER))) {
      Map<String, byte[]> set = PolicyPushAloneTest.files(s.policies);
      set.put("accounts.verdict", (new String(set.get("accounts.verdict"), StandardCharsets.UTF_8)
          + "\npolicy extra on Account {\n  permit read to support\n}\n").getBytes(StandardCharsets.UTF_8));
      assertThat(PolicyPushAloneTest.push(s, BundleSignatures.sign(set, key)).status()).isEqualTo(200);
      set.put("broken.verdict", "policy broken on Nowhere {".getBytes(StandardCharsets.UTF_8));
      assertThat(PolicyPushAloneTest.push(s, BundleSignatures.sign(set, key)).status()).isEqualTo(422);
      String transfer = "{\"subject\":" + TestServer.subject("carol") + ",\"resource\":"
          + TestServer.account("c1", "carol") + ",\"action\":{\"name\":\"transfer\"}}";
      com.fasterxml.jackson.databind.JsonNode answer = s.post("/access/v1/evaluation", transfer, "X-API-Key",
          PolicyPushAloneTest.ADMIN_KEY).json();
      assertThat(answer.path("decision").asBoolean()).as(answer.toString()).isTrue();

      String metrics = s.get("/metrics").body();
      assertThat(metrics)
          .contains("verdict_bundle_activations_total{result=\"ok\"} 1.0")
          .contains("verdict_bundle_activations_total{result=\"refused\"} 1.0")
          .contains("verdict_bundle_activation_seconds_count 2")
          .contains("verdict_cluster_members 1.0")
          .contains("verdict_cluster_budget_seconds_count 1")
          .contains("verdict_decision_cache_misses_total{tier=\"l2\"}");
      Set<String> published = published(metrics);
      assertThat(published).doesNotContain("verdict_rate_unavailable_total");
      published.add("verdict_rate_unavailable_total"); // appears at its first count (SlowBudgetTest)
      assertThat(documented()).as("docs/operations.md, Cluster, Metrics").isEqualTo(published);
    }
  }

  private static Set<String> published(String metrics) {
    Set<String> out = new TreeSet<>();
    Matcher m = OURS.matcher(metrics);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  /** The series named in the Cluster section's metrics paragraph. */
  private static Set<String> documented() throws Exception {
    String doc = Files.readString(OPERATIONS);
    int section = doc.indexOf("\n## Cluster\n");
    int from = doc.indexOf("**Metrics:**", section);
    String paragraph = doc.substring(from, doc.indexOf("\n\n", from));
    Set<String> out = new TreeSet<>();
    Matcher m = Pattern.compile("`(verdict_[a-z_]+)").matcher(paragraph);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }
}
