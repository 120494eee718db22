package dev.verdict.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import dev.verdict.engine.DecideOptions;
import dev.verdict.engine.DecisionCache;
import dev.verdict.engine.DecisionKey;
import dev.verdict.engine.Engine;
import dev.verdict.engine.PolicySource;
import dev.verdict.lang.data.EntityUid;
import dev.verdict.lang.eval.Decision;
import dev.verdict.lang.eval.EntityData;
import dev.verdict.lang.eval.Request;
import dev.verdict.lang.eval.Value;
import dev.verdict.lang.rate.BudgetKey;
import dev.verdict.lang.rate.Rate;
import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Where the answers of budget steps and shared-cache lookups continue: on the caller's event loop,
 * or (for a caller outside Vert.x) on the few threads of {@link ClusterCallbacks}; never on a
 * thread started for the callback (Hazelcast's default on a machine whose common pool has one
 * worker) and never on a Hazelcast thread (a partition thread must not call other partitions).
 * Counts, not times: the assertions hold however loaded the machine is.
 */
class ClusterCallbackThreadsTest {
  private static final int CHECKS = 1_000;
  private static final Rate GENEROUS = new Rate(1_000_000, Duration.ofHours(1), 1_000_000_000);
  static HazelcastInstance a;
  static HazelcastInstance b;

  @BeforeAll
  static void start() throws Exception {
    ClusterStoresTest.HAZELCAST_LOG.setLevel(java.util.logging.Level.WARNING);
    int pa = ClusterStoresTest.freePort();
    int pb = ClusterStoresTest.freePort();
    String name = "callback-test-" + UUID.randomUUID();
    List<String> members = List.of("127.0.0.1:" + pa, "127.0.0.1:" + pb);
    a = ClusterNode.start(ClusterSettings.tcp(name, members, pa, "127.0.0.1").withTimings(0, 1, 5));
    b = ClusterNode.start(ClusterSettings.tcp(name, members, pb, "127.0.0.1").withTimings(0, 1, 5));
    assertThat(a.getCluster().getMembers()).hasSize(2);
    // partitions assigned and the proxies made before counting threads
    new ClusterBudgetStore(a, Duration.ofSeconds(30)).warmUp(Duration.ofSeconds(60));
  }

  @AfterAll
  static void stop() {
    b.getLifecycleService().terminate();
    a.getLifecycleService().terminate();
  }

  @Test
  void budgetStepsOffVertxStartNoThreadPerCallbackAndContinueOnTheCallbackThreads() throws Exception {
    ClusterBudgetStore store = new ClusterBudgetStore(a, Duration.ofSeconds(30));
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Set<String> continuedOn = ConcurrentHashMap.newKeySet();
    long startedBefore = threads.getTotalStartedThreadCount();
    for (int i = 0; i < CHECKS; i++) {
      // a key per check: about half on partitions the other member owns
      BudgetKey key = BudgetKey.of("threads").add("k" + i).build();
      store.consume(key, GENEROUS, System.currentTimeMillis())
          .thenApply(o -> continuedOn.add(Thread.currentThread().getName()))
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    long started = threads.getTotalStartedThreadCount() - startedBefore;
    assertThat(started).as("threads started during %d budget steps", CHECKS).isLessThan(50);
    // the calling thread itself when the answer was there before it asked (a local partition)
    assertThat(continuedOn).allSatisfy(n -> assertThat(n).matches(ClusterCallbacks.THREAD_PREFIX + "\\d+|main"));
  }

  @Test
  void sharedCacheMissesOffVertxStartNoThreadPerCallback() throws Exception {
    ClusterDecisionCache shared = new ClusterDecisionCache(a, 30_000);
    DecisionCache neverStored = new DecisionCache() {
      @Override
      public Decision get(DecisionKey key) {
        return shared.get(key);
      }

      @Override
      public java.util.concurrent.CompletionStage<Decision> getAsync(DecisionKey key) {
        return shared.getAsync(key);
      }

      @Override
      public void put(DecisionKey key, Decision decision) {}

      @Override
      public Stats stats() {
        return shared.stats();
      }
    };
    Engine engine = Engine.builder(PolicySource.files(Map.of("p.verdict", """
        policy p on Doc {
          @id("owner") permit read when resource.owner == principal.id
        }
        """))).cache(neverStored).buildOrThrow();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Set<String> continuedOn = ConcurrentHashMap.newKeySet();
    long startedBefore = threads.getTotalStartedThreadCount();
    for (int i = 0; i < CHECKS; i++) {
      Request read = new Request(new EntityData(new EntityUid("User", "u" + i), Map.of(), List.of(), false),
          new EntityData(new EntityUid("Doc", "d"), Map.of("owner", new Value.Str("u" + i)), List.of(), false),
          "read", Map.of(), List.of());
      engine.decideAsync(read, DecideOptions.WHAT_IF)
          .thenApply(d -> continuedOn.add(Thread.currentThread().getName()))
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    long started = threads.getTotalStartedThreadCount() - startedBefore;
    assertThat(shared.stats().misses()).isGreaterThanOrEqualTo(CHECKS);
    assertThat(started).as("threads started during %d shared-cache misses", CHECKS).isLessThan(50);
    assertThat(continuedOn).allSatisfy(n -> assertThat(n).matches(ClusterCallbacks.THREAD_PREFIX + "\\d+|main"));
  }

  @Test
  void onAnEventLoopBudgetStepsContinueOnThatEventLoop() throws Exception {
    ClusterBudgetStore store = new ClusterBudgetStore(a, Duration.ofSeconds(30));
    Vertx vertx = Vertx.vertx();
    try {
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      Set<String> continuedOn = ConcurrentHashMap.newKeySet();
      io.vertx.core.Context context = vertx.getOrCreateContext();
      CompletableFuture<String> loop = new CompletableFuture<>();
      context.runOnContext(v -> loop.complete(Thread.currentThread().getName()));
      String eventLoop = loop.get(30, TimeUnit.SECONDS);
      long startedBefore = threads.getTotalStartedThreadCount();
      for (int i = 0; i < CHECKS; i++) {
        BudgetKey key = BudgetKey.of("loop").add("k" + i).build();
        CompletableFuture<Object> done = new CompletableFuture<>();
        context.runOnContext(v -> store.consume(key, GENEROUS, System.currentTimeMillis())
            .thenApply(o -> continuedOn.add(Thread.currentThread().getName()))
            .whenComplete((x, failure) -> done.complete(failure == null ? x : failure)));
        assertThat(done.get(30, TimeUnit.SECONDS)).isNotInstanceOf(Throwable.class);
      }
      long started = threads.getTotalStartedThreadCount() - startedBefore;
      assertThat(started).as("threads started during %d budget steps", CHECKS).isLessThan(50);
      assertThat(continuedOn).containsExactly(eventLoop);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
