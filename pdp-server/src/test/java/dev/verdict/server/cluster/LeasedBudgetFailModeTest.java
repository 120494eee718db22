package dev.verdict.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import com.fasterxml.jackson.databind.JsonNode;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.verdict.lang.rate.BudgetKey;
import dev.verdict.server.TestServer;
import dev.verdict.server.boot.ServerConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leases keep the limits' {@code on unavailable} modes: a lease the cluster does not answer in
 * time fails as a consumption does, for the request that asked and for those waiting for it,
 * and a grant that arrives too late goes back to the owner.
 */
class LeasedBudgetFailModeTest {
  @Test
  void aLeaseTheClusterCannotAnswerAppliesTheFailModeAndALateGrantIsGivenBack(@TempDir Path tmp) throws Exception {
    int port = ClusterStoresTest.freePort();
    ClusterSettings cluster = ClusterSettings.tcp("lease-unavailable-" + UUID.randomUUID(), List.of(), port,
        "127.0.0.1").withTimings(0, 1, 5).withLease(5);
    try (TestServer s = new TestServer(tmp, c -> c.withCluster(Optional.of(cluster),
        ServerConfig.DecisionCacheMode.LOCAL))) {
      Path routes = s.policies.resolve("routes.verdict");
      String before = s.server.store().current().orElseThrow().version();
      java.nio.file.Files.writeString(routes, java.nio.file.Files.readString(routes)
          .replace("5 per 1m\n", "100 per 1h\n  on unavailable allow\n"));
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (s.server.store().current().orElseThrow().version().equals(before) && System.nanoTime() < until) {
        Thread.sleep(50);
      }
      assertThat(s.server.store().current().orElseThrow().version()).isNotEqualTo(before);

      IMap<String, Long> budgets = s.server.member().orElseThrow().getMap(ClusterNode.BUDGETS);
      String key = ClusterBudgetStore.mapKey(BudgetKey.of("transfers").add("Str", "bob").build());
      String transfer = "{\"subject\":" + TestServer.subject("bob") + ",\"resource\":"
          + TestServer.account("b1", "bob") + ",\"action\":{\"name\":\"transfer\"}}";
      // the key is hot: the second request within a second takes a lease of 5
      assertThat(s.post("/access/v1/evaluation", transfer).json().get("decision").asBoolean()).isTrue();
      assertThat(s.post("/access/v1/evaluation", transfer).json().get("decision").asBoolean()).isTrue();
      java.util.function.LongSupplier state = () -> budgets.get(key) == null ? 0 : budgets.get(key);
      // The owner's state with the lease counted. Its 4 unused tokens go back once: with the next
      // lease, or earlier when the node forgets the idle key (two lifetimes without a request,
      // which a slow machine can reach before the key is held below).
      long leased = state.getAsLong();
      // wait until the lease expired, then hold the key
      Thread.sleep(LeasingBudgetStore.LEASE_LIFETIME.toMillis() + 200);
      budgets.lock(key);
      java.util.List<JsonNode> answers = new java.util.ArrayList<>();
      try {
        java.util.List<CompletableFuture<JsonNode>> sent = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
          sent.add(CompletableFuture.supplyAsync(() -> s.post("/access/v1/evaluation", transfer).json()));
        }
        for (CompletableFuture<JsonNode> f : sent) {
          answers.add(f.get(30, TimeUnit.SECONDS));
        }
      } finally {
        budgets.unlock(key);
      }
      assertThat(answers).allSatisfy(a -> {
        assertThat(a.get("decision").asBoolean()).as(a.toString()).isTrue();
        assertThat(a.at("/context/rate/unavailable").asText()).isEqualTo("allow");
      });
      // The lease runs once the key is free: it gives back the expired lease's 4 unused tokens,
      // and its grant, come too late, is given back too.
      long expected = leased - 4 * dev.verdict.lang.rate.Rate.of(100, java.time.Duration.ofHours(1)).emissionIntervalMicros();
      until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (state.getAsLong() != expected && System.nanoTime() < until) {
        Thread.sleep(20);
      }
      Thread.sleep(500); // nothing more arrives
      assertThat(state.getAsLong()).as("budget state after the late grant").isEqualTo(expected);
    }
  }
}
