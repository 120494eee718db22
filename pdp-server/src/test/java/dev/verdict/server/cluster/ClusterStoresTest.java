package dev.verdict.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import dev.verdict.engine.DecisionCache;
import dev.verdict.engine.Engine;
import dev.verdict.engine.PolicySource;
import dev.verdict.lang.ast.FieldEffect;
import dev.verdict.lang.data.EntityUid;
import dev.verdict.lang.eval.Decision;
import dev.verdict.lang.eval.EntityData;
import dev.verdict.lang.eval.EvalError;
import dev.verdict.lang.eval.Request;
import dev.verdict.lang.eval.Value;
import dev.verdict.lang.source.Span;
import dev.verdict.lang.rate.BudgetKey;
import dev.verdict.lang.rate.Rate;
import dev.verdict.lang.rate.RateOutcome;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two members in this JVM, sharing the budget and decision maps: the stores' own semantics. The scenarios that
 * need separate processes (a member killed, a partition healed) run against real servers.
 */
class ClusterStoresTest {
  /** Held so the level stays set: JUL keeps loggers weakly. */
  static final java.util.logging.Logger HAZELCAST_LOG = java.util.logging.Logger.getLogger("com.hazelcast");
  static HazelcastInstance a;
  static HazelcastInstance b;

  @BeforeAll
  static void start() throws IOException {
    HAZELCAST_LOG.setLevel(java.util.logging.Level.WARNING);
    int pa = freePort();
    int pb = freePort();
    String name = "budget-test-" + UUID.randomUUID();
    List<String> members = List.of("127.0.0.1:" + pa, "127.0.0.1:" + pb);
    a = ClusterNode.start(ClusterSettings.tcp(name, members, pa, "127.0.0.1").withTimings(0, 1, 5));
    b = ClusterNode.start(ClusterSettings.tcp(name, members, pb, "127.0.0.1").withTimings(0, 1, 5));
    assertThat(a.getCluster().getMembers()).hasSize(2);
  }

  @AfterAll
  static void stop() {
    b.getLifecycleService().terminate();
    a.getLifecycleService().terminate();
  }

  static int freePort() throws IOException {
    return dev.verdict.server.FreePorts.next();
  }

  static BudgetKey key(String limit, String part) {
    return BudgetKey.of(limit).add(part).build();
  }

  @Test
  void twoMembersHitConcurrentlyAdmitExactlyTheLimit() throws Exception {
    ClusterBudgetStore onA = new ClusterBudgetStore(a, Duration.ofSeconds(10));
    ClusterBudgetStore onB = new ClusterBudgetStore(b, Duration.ofSeconds(10));
    // 100 an hour: the test's requests all arrive within one emission interval (36 s)
    Rate rate = Rate.of(100, Duration.ofHours(1));
    BudgetKey key = key("exact", "alice");
    AtomicInteger admitted = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        ClusterBudgetStore store = t % 2 == 0 ? onA : onB;
        fs.add(pool.submit(() -> {
          for (int i = 0; i < 50; i++) {
            RateOutcome o = store.consume(key, rate, System.currentTimeMillis()).toCompletableFuture().join();
            if (o.allowed()) {
              admitted.incrementAndGet();
            }
          }
          return null;
        }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(admitted.get()).isEqualTo(100);
    RateOutcome refused = onA.consume(key, rate, System.currentTimeMillis()).toCompletableFuture().join();
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(36));
  }

  @Test
  void twoMembersHitConcurrentlyAdmitExactlyTheWindow() throws Exception {
    ClusterBudgetStore onA = new ClusterBudgetStore(a, Duration.ofSeconds(10));
    ClusterBudgetStore onB = new ClusterBudgetStore(b, Duration.ofSeconds(10));
    Rate rate = Rate.window(30, Duration.ofHours(1));
    BudgetKey key = key("window", "10.0.0.1");
    AtomicInteger admitted = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        ClusterBudgetStore store = t % 2 == 0 ? onA : onB;
        fs.add(pool.submit(() -> {
          for (int i = 0; i < 20; i++) {
            RateOutcome o = store.consume(key, rate, System.currentTimeMillis()).toCompletableFuture().join();
            if (o.allowed()) {
              admitted.incrementAndGet();
            }
          }
          return null;
        }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(admitted.get()).isEqualTo(30);
    long now = System.currentTimeMillis();
    RateOutcome refused = onB.consume(key, rate, now).toCompletableFuture().join();
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.limit()).isEqualTo(30);
    assertThat(refused.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofHours(1));
    String mapKey = ClusterBudgetStore.mapKey(key);
    assertThat((long[]) a.getMap(ClusterNode.WINDOWS).get(mapKey)).hasSize(30);
    onA.refund(key, rate, now).toCompletableFuture().join();
    assertThat((long[]) a.getMap(ClusterNode.WINDOWS).get(mapKey)).hasSize(29);
    assertThat(a.getMap(ClusterNode.BUDGETS).containsKey(mapKey)).as("windows live apart from buckets").isFalse();
  }

  @Test
  void aWindowMergedAfterASplitKeepsEveryTimeOfBothHalves() {
    assertThat(StricterWindowMerge.stricter(new long[] {1, 4}, new long[] {2, 3, 5})).containsExactly(1, 2, 3, 4, 5);
    assertThat(StricterWindowMerge.stricter(null, new long[] {7})).containsExactly(7);
  }

  @Test
  void aRefundGivesBackOneRequestAndAnIdleKeyLeavesTheMap() {
    ClusterBudgetStore store = new ClusterBudgetStore(a, Duration.ofSeconds(10));
    Rate rate = Rate.of(1, Duration.ofMinutes(1));
    BudgetKey key = key("refund", "bob");
    long now = System.currentTimeMillis();
    assertThat(store.consume(key, rate, now).toCompletableFuture().join().allowed()).isTrue();
    assertThat(store.consume(key, rate, now).toCompletableFuture().join().allowed()).isFalse();
    String mapKey = ClusterBudgetStore.mapKey(key);
    assertThat(a.getMap(ClusterNode.BUDGETS).containsKey(mapKey)).isTrue();
    store.refund(key, rate, now).toCompletableFuture().join();
    assertThat(a.getMap(ClusterNode.BUDGETS).containsKey(mapKey)).as("back at a full budget: nothing to keep").isFalse();
    assertThat(store.consume(key, rate, now).toCompletableFuture().join().allowed()).isTrue();
  }

  @Test
  void aKeyExpiresWhenItsBudgetIsFullAgain() throws Exception {
    ClusterBudgetStore store = new ClusterBudgetStore(b, Duration.ofSeconds(10));
    Rate rate = Rate.of(10, Duration.ofMillis(500)); // full again 50 ms after one request, kept 5 s longer
    BudgetKey key = key("expiry", "carol");
    assertThat(store.consume(key, rate, System.currentTimeMillis()).toCompletableFuture().join().allowed()).isTrue();
    String mapKey = ClusterBudgetStore.mapKey(key);
    long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
    while (b.getMap(ClusterNode.BUDGETS).containsKey(mapKey) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(b.getMap(ClusterNode.BUDGETS).containsKey(mapKey)).isFalse();
  }

  @Test
  void keysOfDifferentLimitsAndPartsAreDifferentBudgets() {
    assertThat(ClusterBudgetStore.mapKey(key("a", "x|y"))).isNotEqualTo(ClusterBudgetStore.mapKey(key("a|x", "y")));
    assertThat(ClusterBudgetStore.mapKey(key("l", "p".repeat(60_000))).length()).isLessThan(80);
  }

  @Test
  void theStricterStateWinsAMerge() {
    assertThat(StricterBudgetMerge.stricter(5L, 9L)).isEqualTo(9L);
    assertThat(StricterBudgetMerge.stricter(9L, 5L)).isEqualTo(9L);
    assertThat(StricterBudgetMerge.stricter(null, 5L)).isEqualTo(5L);
    assertThat(StricterBudgetMerge.stricter(5L, null)).isEqualTo(5L);
  }

  @Test
  void aDecisionComputedOnOneMemberIsServedOnTheOther() {
    java.util.Map<String, String> files = java.util.Map.of("p.verdict", """
        policy p on Doc {
          @id("owner") permit read when resource.owner == principal.id
        }
        """);
    DecisionCache onA = new TieredDecisionCache(DecisionCache.local(1 << 20), new ClusterDecisionCache(a, 1_000));
    ClusterDecisionCache sharedB = new ClusterDecisionCache(b, 1_000);
    DecisionCache onB = new TieredDecisionCache(DecisionCache.local(1 << 20), sharedB);
    Engine engineA = Engine.builder(PolicySource.files(files)).cache(onA).buildOrThrow();
    Engine engineB = Engine.builder(PolicySource.files(files)).cache(onB).buildOrThrow();
    Request read = new Request(
        new EntityData(new EntityUid("User", "alice"), java.util.Map.of(), List.of(), false),
        new EntityData(new EntityUid("Doc", "d1"), java.util.Map.of("owner", new Value.Str("alice")), List.of(), false),
        "read", java.util.Map.of(), List.of());
    Decision computed = engineA.decide(read);
    assertThat(computed.allowed()).isTrue();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (b.getMap(ClusterNode.DECISIONS).isEmpty() && System.nanoTime() < deadline) {
      Thread.onSpinWait(); // the put is not waited for
    }
    Decision served = engineB.decide(read);
    assertThat(served).isEqualTo(computed);
    assertThat(sharedB.stats().hits()).isEqualTo(1);
    engineB.decide(read);
    assertThat(onB.stats()).as("the second time from B's own L1").isEqualTo(new DecisionCache.Stats(1, 1));
  }

  @Test
  void aCachedDecisionSurvivesTheWireAndGarbageDoesNot() throws Exception {
    Decision d = new Decision(Decision.Outcome.ALLOW, List.of("owner"),
        List.of(new EvalError("r1", Span.at("p.verdict", 3, 4), "no attribute `x`", EvalError.Kind.MISSING_ATTRIBUTE)),
        java.util.Map.of("ssn", new FieldEffect(FieldEffect.Kind.PARTIAL, 4, Span.NONE)), java.util.Set.of("owner"),
        java.util.Optional.empty(), java.util.Optional.empty(), "sha256:abc");
    com.hazelcast.internal.serialization.InternalSerializationService ss =
        (com.hazelcast.internal.serialization.InternalSerializationService)
            ((com.hazelcast.spi.impl.SerializationServiceSupport) a).getSerializationService();
    CachedDecision back = ss.toObject(ss.toData(new CachedDecision(d)));
    assertThat(back.decision()).isEqualTo(d);
    assertThat(back.decision().readMask().get("ssn").keep()).isEqualTo(4);

    com.hazelcast.internal.nio.BufferObjectDataOutput out = ss.createObjectDataOutput();
    out.writeString("ALLOW");
    out.writeString("v");
    out.writeInt(Integer.MAX_VALUE); // a count no decision has
    com.hazelcast.nio.ObjectDataInput in = ss.createObjectDataInput(out.toByteArray());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new CachedDecision().readData(in))
        .isInstanceOf(IOException.class).hasMessageContaining("not a cached decision");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new CachedDecision(d.withRate(
        new dev.verdict.lang.eval.RateDecision("i", "l", "k", true, 1, Duration.ofMinutes(1), 0, Duration.ZERO,
            Duration.ZERO)))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aBundlePushedToOneMemberIsServedByAllAndABrokenOneByNone() throws Exception {
    com.nimbusds.jose.jwk.RSAKey key = new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).keyID("k").generate();
    com.nimbusds.jose.jwk.JWKSet trusted = new com.nimbusds.jose.jwk.JWKSet(key.toPublicJWK());
    java.util.Map<String, String> v1 = java.util.Map.of("p.verdict", "policy p on Doc {\n  @id(\"r\") permit read\n}\n");
    Engine engineA = Engine.builder(PolicySource.files(v1)).buildOrThrow();
    Engine engineB = Engine.builder(PolicySource.files(v1)).buildOrThrow();
    ClusterPolicy pushA = new ClusterPolicy(a, new PolicyParticipant(engineA, trusted), 30_000);
    new ClusterPolicy(b, new PolicyParticipant(engineB, trusted), 30_000);
    String before = engineA.active().orElseThrow().version();

    byte[] v2 = dev.verdict.server.bundle.BundleSignatures.sign(java.util.Map.of("p.verdict",
        "policy p on Doc {\n  @id(\"r\") permit read, write\n}\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)), key);
    ClusterPolicy.PushResult pushed = pushA.push(v2);
    assertThat(pushed.refusals()).isEmpty();
    assertThat(pushed.activated()).isTrue();
    assertThat(engineA.active().orElseThrow().version()).isEqualTo(pushed.version()).isNotEqualTo(before);
    assertThat(engineB.active().orElseThrow().version()).isEqualTo(pushed.version());

    byte[] broken = dev.verdict.server.bundle.BundleSignatures.sign(java.util.Map.of("p.verdict",
        "policy p on Doc { permit read when }".getBytes(java.nio.charset.StandardCharsets.UTF_8)), key);
    ClusterPolicy.PushResult refused = pushA.push(broken);
    assertThat(refused.activated()).isFalse();
    assertThat(refused.refusals()).hasSize(2).allSatisfy((who, why) -> assertThat(why).contains("p.verdict:1"));
    assertThat(engineB.active().orElseThrow().version()).isEqualTo(pushed.version());

    byte[] unsigned = dev.verdict.engine.Bundles.write(java.util.Map.of("p.verdict",
        "policy p on Doc {\n  @id(\"r\") permit *\n}\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertThat(pushA.push(unsigned).refusals()).allSatisfy((who, why) -> assertThat(why).contains("not signed"));
    assertThat(engineA.active().orElseThrow().version()).isEqualTo(pushed.version());

    // a member that joins later takes the cluster's bundle before serving
    Engine late = Engine.builder(PolicySource.files(v1)).buildOrThrow();
    ClusterPolicy lateB = new ClusterPolicy(b, new PolicyParticipant(late, trusted), 30_000);
    assertThat(lateB.adoptActive()).isTrue();
    assertThat(late.active().orElseThrow().version()).isEqualTo(pushed.version());
  }
}
