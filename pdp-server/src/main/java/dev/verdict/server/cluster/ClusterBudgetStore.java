package dev.verdict.server.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.verdict.lang.rate.BudgetKey;
import dev.verdict.lang.rate.BudgetStore;
import dev.verdict.lang.rate.Rate;
import dev.verdict.lang.rate.RateOutcome;
import com.hazelcast.partition.Partition;
import com.hazelcast.partition.PartitionService;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Rate budgets shared by the cluster: each key's GCRA state lives on the partition that owns
 * it, and every consumption is one entry processor there ({@link GcraConsume}), so N nodes
 * together admit exactly the limit. Window rates do the same in a map of their own
 * ({@link WindowConsume}). Keys are the budget key's fixed-size digest, so a caller's
 * long key values cost the cluster no more than short ones.
 *
 * <p>A stage that does not complete within the timeout fails; callers then apply the limit's
 * fail mode (a refusal unless the limit says otherwise), never an unbounded allow. The entry
 * processor may still run after that: a consumption whose answer arrives late and admitted is
 * given back, so a request that was refused for a timeout does not also use up the budget.
 * Only when no answer ever arrives (the owner and its backup lost at once) can a timed-out
 * consumption still count, which errs on the strict side.
 */
public final class ClusterBudgetStore implements BudgetStore {
  private static final Rate WARM_UP_RATE = new Rate(1, Duration.ofSeconds(1), 1);

  private final HazelcastInstance hz;
  private final IMap<String, Long> budgets;
  private final IMap<String, long[]> windows;
  private final long timeoutMillis;
  private final Consumer<Long> latencyNanos;
  private final Runnable timedOut;

  public ClusterBudgetStore(HazelcastInstance hz, Duration timeout) {
    this(hz, timeout, n -> { }, () -> { });
  }

  /**
   * @param latencyNanos told how long each answered consumption took
   * @param timedOut told of each consumption that did not answer in time
   */
  public ClusterBudgetStore(HazelcastInstance hz, Duration timeout, Consumer<Long> latencyNanos, Runnable timedOut) {
    this.hz = hz;
    this.budgets = hz.getMap(ClusterNode.BUDGETS);
    this.windows = hz.getMap(ClusterNode.WINDOWS);
    this.timeoutMillis = timeout.toMillis();
    this.latencyNanos = latencyNanos;
    this.timedOut = timedOut;
  }

  /**
   * The step's outcome, completed on the caller's Vert.x context (or {@link ClusterCallbacks}'
   * threads for a caller outside Vert.x), never on the Hazelcast thread where it arrived.
   */
  @Override
  public CompletionStage<RateOutcome> consume(BudgetKey key, Rate rate, long nowMillis) {
    String mapKey = mapKey(key);
    CompletionStage<long[]> step = rate.window() ? windows.submitToKey(mapKey, new WindowConsume(rate, nowMillis))
        : budgets.submitToKey(mapKey, new GcraConsume(rate, nowMillis));
    return withinTimeout(step, GcraConsume::decode, o -> o.allowed() ? () -> submitRefund(mapKey, rate, nowMillis) : null);
  }

  /** What a lease got: the owner's outcome after it, and how many tokens it granted (0: refused). */
  record Grant(RateOutcome outcome, int granted) {}

  /**
   * Gives back {@code giveBack} unused tokens of an expired lease, then takes up to {@code take}
   * tokens of a bucket ({@link GcraLease}), in one round trip to the key's owner; completed as
   * {@link #consume} is. A grant that arrives after the timeout is given back.
   */
  CompletionStage<Grant> lease(BudgetKey key, Rate rate, int take, int giveBack, long nowMillis) {
    String mapKey = mapKey(key);
    CompletionStage<long[]> step = budgets.submitToKey(mapKey, new GcraLease(rate, nowMillis, take, giveBack));
    return withinTimeout(step, v -> new Grant(GcraConsume.decode(v), (int) v[5]),
        g -> g.granted() > 0 ? () -> budgets.submitToKey(mapKey, new GcraLease(rate, nowMillis, 0, g.granted())) : null);
  }

  /**
   * {@code step}'s answer, decoded, failed when it has not come within the timeout, and handed
   * back off Hazelcast's threads. An answer that comes too late is undone by the action
   * {@code undo} makes of it (null: nothing to undo), on {@link ClusterCallbacks}' threads.
   */
  private <T> CompletionStage<T> withinTimeout(CompletionStage<long[]> step, java.util.function.Function<long[], T> decode,
      java.util.function.Function<T, Runnable> undo) {
    long start = System.nanoTime();
    CompletableFuture<T> arrived = new CompletableFuture<>();
    // Hazelcast's own future is completed by Hazelcast only: a timeout completes ours.
    step.whenCompleteAsync((v, failure) -> {
      if (failure != null) {
        arrived.completeExceptionally(failure);
        return;
      }
      T answer = decode.apply(v);
      if (arrived.complete(answer)) {
        latencyNanos.accept(System.nanoTime() - start);
        return;
      }
      // Refused for the timeout already: give back what it consumed after all.
      Runnable undoing = undo.apply(answer);
      if (undoing != null) {
        ClusterCallbacks.execute(undoing);
      }
    }, ClusterCallbacks.WHERE_IT_ARRIVES);
    arrived.orTimeout(timeoutMillis, TimeUnit.MILLISECONDS).whenComplete((v, failure) -> {
      if (failure instanceof TimeoutException) {
        timedOut.run();
      }
    });
    return ClusterCallbacks.handedBack(arrived);
  }

  @Override
  public CompletionStage<Void> refund(BudgetKey key, Rate rate, long nowMillis) {
    CompletableFuture<Void> arrived = new CompletableFuture<>();
    submitRefund(mapKey(key), rate, nowMillis).whenCompleteAsync((v, failure) -> {
      if (failure != null) {
        arrived.completeExceptionally(failure);
      } else {
        arrived.complete(null);
      }
    }, ClusterCallbacks.WHERE_IT_ARRIVES);
    return ClusterCallbacks.handedBack(arrived.orTimeout(timeoutMillis, TimeUnit.MILLISECONDS));
  }

  /**
   * Waits until this member can answer budgets at once: the partition table assigned, the map's
   * proxy created, and one round trip to every partition owner done (the first entry processor
   * after a start otherwise takes longer than the budget timeout). Blocking; call it before the
   * node listens.
   *
   * @return whether it was warm before {@code within} ran out
   */
  public boolean warmUp(Duration within) {
    long until = System.nanoTime() + within.toNanos();
    PartitionService partitions = hz.getPartitionService();
    Set<UUID> owners = new HashSet<>();
    for (int i = 0; owners.size() < hz.getCluster().getMembers().size() && i < 10_000; i++) {
      String key = "verdict-warm-up:" + i;
      Partition p = partitions.getPartition(key);
      while (p.getOwner() == null) {
        if (System.nanoTime() > until) {
          return false;
        }
        sleep(20);
      }
      if (owners.add(p.getOwner().getUuid())) {
        long left = TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime());
        try {
          // a refund of a key that holds nothing writes nothing
          budgets.submitToKey(key, new GcraRefund(WARM_UP_RATE, 0)).toCompletableFuture()
              .get(Math.max(1, left), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
          return false;
        }
      }
    }
    return true;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private CompletionStage<Boolean> submitRefund(String mapKey, Rate rate, long nowMillis) {
    return rate.window() ? windows.submitToKey(mapKey, new WindowRefund(rate, nowMillis))
        : budgets.submitToKey(mapKey, new GcraRefund(rate, nowMillis));
  }

  /** The limit's name, length-prefixed, and the key's 128-bit digest. */
  static String mapKey(BudgetKey key) {
    return key.limit().length() + ":" + key.limit() + ":" + Long.toHexString(key.high()) + ":"
        + Long.toHexString(key.low());
  }

  /** Budgets held in the cluster right now, for metrics. */
  public int size() {
    return budgets.size() + windows.size();
  }
}
