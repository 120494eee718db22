package dev.verdict.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import dev.verdict.server.TestServer;
import dev.verdict.server.boot.ServerConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared decision cache (L2) does not answer: every lookup misses after its timeout and the
 * node decides locally, without an event loop waiting for the cluster meanwhile. A batch of
 * distinct questions asks L2 once per question, so a synchronous wait would hold an event loop
 * for the sum of the timeouts.
 */
class SlowSharedCacheTest {
  private static final CountDownLatch RELEASE = new CountDownLatch(1);
  private static final Set<String> HOLDING = ConcurrentHashMap.newKeySet();
  private static final int QUESTIONS = 40;

  /** Holds a partition thread until the test releases it: lookups on its partitions wait. */
  static final class Hold implements EntryProcessor<String, CachedDecision, Object> {
    @Override
    public Object process(Map.Entry<String, CachedDecision> entry) {
      HOLDING.add(Thread.currentThread().getName());
      try {
        RELEASE.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return null;
    }
  }

  @Test
  void aClusterThatDoesNotAnswerIsAMissDecidedLocallyWithoutBlockingTheEventLoop(@TempDir Path tmp)
      throws Exception {
    int port = ClusterStoresTest.freePort();
    ClusterSettings cluster = ClusterSettings.tcp("slow-l2-" + UUID.randomUUID(), List.of(), port, "127.0.0.1")
        .withTimings(0, 1, 5);
    try (TestServer s = new TestServer(tmp, c -> c.withCluster(Optional.of(cluster),
        ServerConfig.DecisionCacheMode.CLUSTER))) {
      HazelcastInstance hz = s.server.member().orElseThrow();
      IMap<String, CachedDecision> decisions = hz.getMap(ClusterNode.DECISIONS);
      holdEveryPartitionThread(hz, decisions);
      CompletableFuture<JsonNode> answer;
      List<String> waits;
      try {
        answer = CompletableFuture.supplyAsync(() -> s.post("/access/v1/evaluations", batch()).json());
        waits = eventLoopWaitsUntil(answer);
      } finally {
        RELEASE.countDown();
      }
      JsonNode evaluations = answer.get(30, TimeUnit.SECONDS).get("evaluations");
      assertThat(evaluations).hasSize(QUESTIONS);
      evaluations.forEach(e -> assertThat(e.get("decision").asBoolean()).as(e.toString()).isTrue());
      assertThat(waits).as("an event loop waited while the shared cache did not answer").isEmpty();
      assertThat(s.get("/metrics").body()).as("lookups the cluster did not answer in time")
          .contains("verdict_decision_cache_timeouts_total{tier=\"l2\"} " + QUESTIONS + ".0");
    }
  }

  /**
   * What the event loops were seen waiting on (a thread parked or sleeping, not one polling for
   * I/O, which is runnable) until {@code done}. The blocked-thread checker's threshold is too
   * coarse here: one lookup waits 20 ms, and a loaded machine can outlast it without waiting.
   */
  private static List<String> eventLoopWaitsUntil(CompletableFuture<?> done) throws InterruptedException {
    List<String> waits = new java.util.ArrayList<>();
    while (!done.isDone()) {
      Thread.getAllStackTraces().forEach((t, stack) -> {
        Thread.State state = t.getState();
        if (t.getName().startsWith("vert.x-eventloop-thread-")
            && (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING)) {
          waits.add(t.getName() + " " + state + " " + java.util.Arrays.toString(stack));
        }
      });
      Thread.sleep(5);
    }
    return waits;
  }

  /**
   * One held entry processor per partition thread: the partitions 0..63 cover every thread
   * (partition p runs on thread p mod the thread count); the surplus waits behind the held ones.
   */
  private static void holdEveryPartitionThread(HazelcastInstance hz, IMap<String, CachedDecision> decisions)
      throws InterruptedException {
    Set<Integer> covered = new java.util.HashSet<>();
    for (int i = 0; covered.size() < 64; i++) {
      String key = "hold-" + i;
      int partition = hz.getPartitionService().getPartition(key).getPartitionId();
      if (partition < 64 && covered.add(partition)) {
        decisions.submitToKey(key, new Hold());
      }
    }
    long threads = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("hz." + hz.getName() + ".partition-operation.thread-")).count();
    assertThat(threads).isPositive();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (HOLDING.size() < threads && System.nanoTime() < until) {
      Thread.sleep(10);
    }
    assertThat(HOLDING).as("partition threads held").hasSize((int) threads);
  }

  /** Distinct questions (each principal reads its own account): each is a miss in L1 and asks L2. */
  private static String batch() {
    StringBuilder items = new StringBuilder();
    for (int i = 0; i < QUESTIONS; i++) {
      items.append(i == 0 ? "" : ",").append("{\"subject\":").append(TestServer.subject("u" + i, "customer"))
          .append(",\"resource\":").append(TestServer.account("a" + i, "u" + i)).append('}');
    }
    return "{\"action\":{\"name\":\"read\"},\"evaluations\":[" + items + "]}";
  }
}
