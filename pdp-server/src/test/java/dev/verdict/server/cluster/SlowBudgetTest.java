package dev.verdict.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
 * A budget the cluster cannot answer in time (its key locked by another caller): the request is
 * refused for the timeout without blocking an event loop meanwhile, and once the cluster answers
 * after all, what it consumed is given back.
 */
class SlowBudgetTest {
  /** A lone member with short timings, under a name of its own. */
  private static ClusterSettings alone(String name) throws java.io.IOException {
    return ClusterSettings.tcp(name + "-" + UUID.randomUUID(), List.of(), ClusterStoresTest.freePort(), "127.0.0.1")
        .withTimings(0, 1, 5);
  }

  private static TestServer server(Path tmp, ClusterSettings cluster) throws Exception {
    return new TestServer(tmp, c -> c.withCluster(Optional.of(cluster), ServerConfig.DecisionCacheMode.LOCAL));
  }

  /** {@code owner}'s transfer from their account {@code account}: limited per owner by the set's `transfers`. */
  private static String transfer(String owner, String account) {
    return "{\"subject\":" + TestServer.subject(owner) + ",\"resource\":" + TestServer.account(account, owner)
        + ",\"action\":{\"name\":\"transfer\"}}";
  }

  /** Where {@code owner}'s transfer budget lives in the cluster's map. */
  private static String budgetKey(String owner) {
    return ClusterBudgetStore.mapKey(BudgetKey.of("transfers").add("Str", owner).build());
  }

  @Test
  void aSlowBudgetNeitherBlocksTheEventLoopNorConsumesWhatItRefused(@TempDir Path tmp) throws Exception {
    try (TestServer s = server(tmp, alone("slow-budget"))) {
      HazelcastInstance hz = s.server.member().orElseThrow();
      IMap<String, Long> budgets = hz.getMap(ClusterNode.BUDGETS);
      String key = budgetKey("alice");
      String transfer = transfer("alice", "a1");
      assertThat(s.post("/access/v1/evaluation", transfer).json().get("decision").asBoolean()).isTrue();
      budgets.remove(key);
      s.blockingCalls.clear();

      budgets.lock(key);
      CompletableFuture<JsonNode> refused;
      try {
        refused = CompletableFuture.supplyAsync(() -> s.post("/access/v1/evaluation", transfer).json());
        // While the budget is pending, requests keep being answered.
        for (int i = 0; i < 20; i++) {
          assertThat(s.get("/health/live").status()).isEqualTo(200);
        }
        JsonNode answer = refused.get(30, TimeUnit.SECONDS);
        assertThat(answer.get("decision").asBoolean()).as(answer.toString()).isFalse();
      } finally {
        budgets.unlock(key);
      }
      // The entry processor runs once the key is free; its admission is given back.
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (budgets.containsKey(key) && System.nanoTime() < until) {
        Thread.sleep(20);
      }
      assertThat(budgets.containsKey(key)).as("budget state left by the refused request").isFalse();
      assertThat(s.blockingCalls.found()).as("event loop blocked waiting for the budget").isEmpty();
    }
  }

  /**
   * {@code cluster-budget-timeout-ms} is the time the cluster has to answer: with 10 s, a budget
   * held up for 1 s (twice the default 500 ms, which refuses it: the test above) still admits.
   */
  @Test
  void aBudgetAnsweredWithinTheConfiguredTimeoutAdmits(@TempDir Path tmp) throws Exception {
    try (TestServer s = server(tmp, alone("patient-budget").withBudgetTimeout(java.time.Duration.ofSeconds(10)))) {
      IMap<String, Long> budgets = s.server.member().orElseThrow().getMap(ClusterNode.BUDGETS);
      String key = budgetKey("alice");
      String transfer = transfer("alice", "a1");
      assertThat(s.post("/access/v1/evaluation", transfer).json().get("decision").asBoolean()).isTrue();
      budgets.remove(key);

      budgets.lock(key);
      CompletableFuture<JsonNode> answer =
          CompletableFuture.supplyAsync(() -> s.post("/access/v1/evaluation", transfer).json());
      try {
        // no answer for 1 s, twice the default timeout: the request waits on its budget
        assertThatThrownBy(() -> answer.get(1, TimeUnit.SECONDS)).as("answered while its budget is held")
            .isInstanceOf(java.util.concurrent.TimeoutException.class);
      } finally {
        budgets.unlock(key);
      }
      JsonNode admitted = answer.get(30, TimeUnit.SECONDS);
      assertThat(admitted.get("decision").asBoolean()).as(admitted.toString()).isTrue();
      assertThat(budgets.containsKey(key)).as("the admission is counted").isTrue();
    }
  }

  @Test
  void aLimitThatAllowsWhenUnavailableSaysSoInTheDecisionTheLogAndTheMetrics(@TempDir Path tmp) throws Exception {
    try (TestServer s = server(tmp, alone("unavailable"))) {
      Path routes = s.policies.resolve("routes.verdict");
      String before = s.server.store().current().orElseThrow().version();
      java.nio.file.Files.writeString(routes, java.nio.file.Files.readString(routes)
          .replace("5 per 1m\n", "5 per 1m\n  on unavailable allow\n"));
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (s.server.store().current().orElseThrow().version().equals(before) && System.nanoTime() < until) {
        Thread.sleep(50);
      }
      assertThat(s.server.store().current().orElseThrow().version()).isNotEqualTo(before);

      IMap<String, Long> budgets = s.server.member().orElseThrow().getMap(ClusterNode.BUDGETS);
      String key = budgetKey("bob");
      String transfer = transfer("bob", "b1");
      budgets.lock(key);
      JsonNode answer;
      try {
        answer = s.post("/access/v1/evaluation", transfer).json();
      } finally {
        budgets.unlock(key);
      }
      assertThat(answer.get("decision").asBoolean()).as(answer.toString()).isTrue();
      assertThat(answer.at("/context/rate/unavailable").asText()).isEqualTo("allow");
      assertThat(s.get("/metrics").body()).contains("verdict_rate_unavailable_total{mode=\"allow\"} 1.0");
      s.server.decisionLog().close(5_000);
      assertThat(java.nio.file.Files.readString(s.decisionLog)).contains("\"unavailable\":\"allow\"");
    }
  }
}
