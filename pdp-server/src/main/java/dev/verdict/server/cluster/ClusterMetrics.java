package dev.verdict.server.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.partition.MigrationListener;
import com.hazelcast.partition.MigrationState;
import com.hazelcast.partition.ReplicaMigrationEvent;
import dev.verdict.engine.DecisionCache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The cluster's series: its members, partitions migrating, the shared budgets' latency and
 * timeouts, each decision cache tier's hits and misses, and bundle pushes (alone too). Names
 * are in docs/operations.md.
 */
public final class ClusterMetrics {
  private final Timer budgetLatency;
  private final Counter budgetTimeouts;
  private final Counter activated;
  private final Counter refused;
  private final Timer activation;

  public ClusterMetrics(MeterRegistry registry) {
    this.budgetLatency = Timer.builder("verdict.cluster.budget")
        .description("Time for the cluster to answer one rate budget consumption")
        .serviceLevelObjectives(micros(100), micros(250), micros(500), micros(1_000), micros(2_500),
            micros(5_000), micros(25_000), micros(100_000), micros(500_000))
        .register(registry);
    this.budgetTimeouts = Counter.builder("verdict.cluster.budget.timeouts")
        .description("Rate budget consumptions the cluster did not answer within the timeout")
        .register(registry);
    this.activated = activations(registry, "ok");
    this.refused = activations(registry, "refused");
    this.activation = Timer.builder("verdict.bundle.activation")
        .description("Time a bundle push made on this node took, both phases on every member, activated or refused")
        .serviceLevelObjectives(Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2_500),
            Duration.ofSeconds(5), Duration.ofSeconds(10))
        .register(registry);
  }

  private static Counter activations(MeterRegistry registry, String result) {
    return Counter.builder("verdict.bundle.activations")
        .description("Bundle pushes made on this node, by whether the cluster (or this node alone) switched to them")
        .tag("result", result).register(registry);
  }

  private static Duration micros(long n) {
    return Duration.ofNanos(n * 1_000);
  }

  /** Members and migrations of {@code hz}. */
  public void watch(HazelcastInstance hz, MeterRegistry registry) {
    Gauge.builder("verdict.cluster.members", hz, h -> h.getLifecycleService().isRunning()
            ? h.getCluster().getMembers().size() : 0)
        .description("Members of the cluster this node sees, itself included").strongReference(true)
        .register(registry);
    AtomicInteger migrating = new AtomicInteger();
    Counter replicas = Counter.builder("verdict.cluster.partition.migrations")
        .description("Partition replicas migrated between members").register(registry);
    Gauge.builder("verdict.cluster.partitions.migrating", migrating, AtomicInteger::doubleValue)
        .description("Partition replicas planned to migrate and not yet done (0 when the cluster is settled)")
        .strongReference(true).register(registry);
    hz.getPartitionService().addMigrationListener(new MigrationListener() {
      @Override
      public void migrationStarted(MigrationState state) {
        migrating.set(state.getPlannedMigrations());
      }

      @Override
      public void migrationFinished(MigrationState state) {
        migrating.set(0);
      }

      @Override
      public void replicaMigrationCompleted(ReplicaMigrationEvent event) {
        replicas.increment();
        migrating.set(Math.max(0, event.getMigrationState().getPlannedMigrations()
            - event.getMigrationState().getCompletedMigrations()));
      }

      @Override
      public void replicaMigrationFailed(ReplicaMigrationEvent event) {
        replicaMigrationCompleted(event);
      }
    });
  }

  /**
   * Hits and misses of one tier ({@code l1}: this process; {@code l2}: the cluster's map, near
   * cache included). The cache is held by the engine, as long as the server runs.
   */
  public static void cache(MeterRegistry registry, String tier, DecisionCache cache) {
    FunctionCounter.builder("verdict.decision.cache.hits", cache, c -> c.stats().hits())
        .description("Decisions answered from a cache tier").tag("tier", tier).register(registry);
    FunctionCounter.builder("verdict.decision.cache.misses", cache, c -> c.stats().misses())
        .description("Decision cache lookups a tier could not answer").tag("tier", tier).register(registry);
    if (cache instanceof ClusterDecisionCache shared) {
      FunctionCounter.builder("verdict.decision.cache.timeouts", shared, ClusterDecisionCache::timeouts)
          .description("Shared decision cache lookups the cluster did not answer in time (also misses)")
          .tag("tier", tier).register(registry);
    }
  }

  public void budgetAnswered(long nanos) {
    budgetLatency.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** A push made on this node: counted by result, timed either way. */
  public void bundlePushed(ClusterPolicy.PushResult result, long nanos) {
    (result.activated() ? activated : refused).increment();
    activation.record(nanos, TimeUnit.NANOSECONDS);
  }

  public void budgetTimedOut() {
    budgetTimeouts.increment();
  }
}
