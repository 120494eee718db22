package dev.verdict.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.hazelcast.core.HazelcastInstance;
import dev.verdict.engine.DecideOptions;
import dev.verdict.engine.DecisionCache;
import dev.verdict.engine.DecisionKey;
import dev.verdict.engine.Engine;
import dev.verdict.engine.PolicySource;
import dev.verdict.lang.eval.RequestJson;
import dev.verdict.lang.eval.Decision;
import dev.verdict.lang.eval.Request;
import dev.verdict.lang.rate.BudgetKey;
import dev.verdict.lang.rate.Rate;
import dev.verdict.lang.rate.RateOutcome;
import dev.verdict.server.cluster.ClusterBudgetStore;
import dev.verdict.server.cluster.ClusterDecisionCache;
import dev.verdict.server.cluster.ClusterNode;
import dev.verdict.server.cluster.ClusterSettings;
import dev.verdict.server.cluster.LeasingBudgetStore;
import dev.verdict.lang.data.EntityUid;
import dev.verdict.lang.eval.EntityData;
import dev.verdict.lang.rate.BudgetStore;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cluster's costs on the decision path, two Hazelcast members in the benchmark's JVM talking
 * over loopback TCP (members in one JVM still use the network between them; a forked member
 * process would add nothing to a round trip but scheduling noise, and its start-up to every run):
 *
 * <ul>
 *   <li>{@code l2NearCacheHit}: a decision through the engine whose only cache is the shared
 *       one (no L1), found in this member's near cache;
 *   <li>{@code l2Miss}: the same with a key the shared map never held, a new one every time (the
 *       near cache keeps misses too, so a key asked before would be a near-cache hit): a round
 *       trip to the key's owner, this member or the other, then the decision computed here;
 *   <li>{@code rateLocal} / {@code rateRemote}: one budget consumption (the GCRA entry processor)
 *       on a key whose partition this member owns, and on one the other member owns (with its
 *       synchronous backup on the other side either way);
 *   <li>{@code rateRemoteLeased}: the remote key's consumptions through {@link LeasingBudgetStore}
 *       with leases of 5 tokens ({@code cluster-lease: 5}): four in five are answered from the
 *       node's lease, without a round trip.
 * </ul>
 *
 * Sample time, so p50/p99/p99.9 are printed. From the repository root, after {@code ./verdict
 * --version} or a package build:
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar Cluster -bm sample -tu us</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "java.se", "--add-exports",
    "java.base/jdk.internal.ref=ALL-UNNAMED", "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens",
    "java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens", "java.management/sun.management=ALL-UNNAMED",
    "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED"})
public class ClusterBenchmark {
  /** Admits every consumption of the run (burst far above it) while keeping the key's state. */
  private static final Rate GENEROUS = new Rate(1_000_000, Duration.ofHours(1), 1_000_000_000);
  private static final String BUDGETS = "verdict-budgets";

  private HazelcastInstance here;
  private HazelcastInstance there;
  private Engine viaL2;
  private Engine missingL2;
  private Request request;
  private final java.util.concurrent.atomic.AtomicLong unseen = new java.util.concurrent.atomic.AtomicLong();
  private ClusterBudgetStore budgets;
  private BudgetKey localKey;
  private BudgetKey remoteKey;
  private LeasingBudgetStore leasing;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    String name = "bench-" + UUID.randomUUID();
    int a = freePort();
    int b = freePort();
    List<String> members = List.of("127.0.0.1:" + a, "127.0.0.1:" + b);
    here = ClusterNode.start(ClusterSettings.tcp(name, members, a, "127.0.0.1").withTimings(0, 1, 10));
    there = ClusterNode.start(ClusterSettings.tcp(name, members, b, "127.0.0.1").withTimings(0, 1, 10));
    while (here.getCluster().getMembers().size() < 2 || !here.getPartitionService().isClusterSafe()) {
      Thread.sleep(50);
    }

    Map<String, String> files = Map.of("core.verdict", DecisionBenchmark.CORE);
    ClusterDecisionCache shared = new ClusterDecisionCache(here, 20);
    viaL2 = Engine.builder(PolicySource.files(files)).cache(shared).buildOrThrow();
    missingL2 = Engine.builder(PolicySource.files(files)).cache(new NeverStored(shared)).buildOrThrow();
    ObjectMapper json = new ObjectMapper();
    request = RequestJson.parse(json.readTree(DecisionBenchmark.REQUEST));
    viaL2.decide(request, DecideOptions.WHAT_IF); // stored, then found in the near cache
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    long hits;
    do {
      Thread.sleep(50);
      hits = shared.stats().hits();
      viaL2.decide(request, DecideOptions.WHAT_IF);
    } while (shared.stats().hits() == hits && System.nanoTime() < until);
    if (shared.stats().hits() == hits) {
      throw new IllegalStateException("the shared cache did not answer the stored decision: " + shared.stats());
    }

    budgets = new ClusterBudgetStore(here, Duration.ofMillis(500));
    localKey = keyOwnedBy(true);
    remoteKey = keyOwnedBy(false);
    leasing = new LeasingBudgetStore(budgets, 5);
  }

  /** A budget key whose state lands on this member's partitions ({@code local}) or the other's. */
  private BudgetKey keyOwnedBy(boolean local) throws Exception {
    for (int i = 0; i < 1000; i++) {
      BudgetKey key = BudgetKey.ofDigest("bench", ThreadLocalRandom.current().nextLong(), i);
      int before = here.getMap(BUDGETS).localKeySet().size();
      budgets.consume(key, GENEROUS, System.currentTimeMillis()).toCompletableFuture().get(5, TimeUnit.SECONDS);
      boolean landedHere = here.getMap(BUDGETS).localKeySet().size() > before;
      if (landedHere == local) {
        return key;
      }
    }
    throw new IllegalStateException("no budget key found on the " + (local ? "local" : "remote") + " member");
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    there.getLifecycleService().terminate();
    here.getLifecycleService().terminate();
  }

  @Benchmark
  public Decision l2NearCacheHit() {
    return viaL2.decide(request, DecideOptions.WHAT_IF);
  }

  @Benchmark
  public Decision l2Miss() {
    EntityData p = request.principal();
    Request fresh = new Request(new EntityData(new EntityUid(p.uid().type(), "user-" + unseen.incrementAndGet()),
        p.attrs(), p.parents(), p.parentsGiven()), request.resource(), request.action(), request.context(),
        request.entities());
    return missingL2.decide(fresh, DecideOptions.WHAT_IF);
  }

  @Benchmark
  public RateOutcome rateLocal() throws Exception {
    return consume(localKey);
  }

  @Benchmark
  public RateOutcome rateRemote() throws Exception {
    return consume(budgets, remoteKey);
  }

  @Benchmark
  public RateOutcome rateRemoteLeased() throws Exception {
    return consume(leasing, remoteKey);
  }

  private RateOutcome consume(BudgetKey key) throws Exception {
    return consume(budgets, key);
  }

  private static RateOutcome consume(BudgetStore store, BudgetKey key) throws Exception {
    CompletionStage<RateOutcome> o = store.consume(key, GENEROUS, System.currentTimeMillis());
    return o.toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  /** The shared cache for lookups, with nothing ever stored: every lookup is a miss. */
  private record NeverStored(DecisionCache shared) implements DecisionCache {
    @Override
    public Decision get(DecisionKey key) {
      return shared.get(key);
    }

    @Override
    public void put(DecisionKey key, Decision decision) {}

    @Override
    public Stats stats() {
      return shared.stats();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
