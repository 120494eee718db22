package dev.verdict.server.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.verdict.lang.rate.BudgetKey;
import dev.verdict.lang.rate.BudgetStore;
import dev.verdict.lang.rate.Rate;
import dev.verdict.lang.rate.RateOutcome;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Rate budgets shared by the cluster: each key's GCRA state lives on the partition that owns
 * it, and every consumption is one entry processor there ({@link GcraConsume}), so N nodes
 * together admit exactly the limit. Keys are the budget key's fixed-size digest, so a caller's
 * long key values cost the cluster no more than short ones.
 *
 * <p>A stage that does not complete within the timeout fails; callers then apply the limit's
 * fail mode (a refusal unless the limit says otherwise), never an unbounded allow.
 */
public final class ClusterBudgetStore implements BudgetStore {
  private final IMap<String, Long> budgets;
  private final long timeoutMillis;

  public ClusterBudgetStore(HazelcastInstance hz, Duration timeout) {
    this.budgets = hz.getMap(ClusterNode.BUDGETS);
    this.timeoutMillis = timeout.toMillis();
  }

  @Override
  public CompletionStage<RateOutcome> consume(BudgetKey key, Rate rate, long nowMillis) {
    return budgets.submitToKey(mapKey(key), new GcraConsume(rate, nowMillis))
        .toCompletableFuture()
        .orTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .thenApply(GcraConsume::decode);
  }

  @Override
  public CompletionStage<Void> refund(BudgetKey key, Rate rate, long nowMillis) {
    return budgets.submitToKey(mapKey(key), new GcraRefund(rate, nowMillis))
        .toCompletableFuture()
        .orTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .thenApply(r -> null);
  }

  /** The limit's name, length-prefixed, and the key's 128-bit digest. */
  static String mapKey(BudgetKey key) {
    return key.limit().length() + ":" + key.limit() + ":" + Long.toHexString(key.high()) + ":"
        + Long.toHexString(key.low());
  }

  /** Budgets held in the cluster right now, for metrics. */
  public int size() {
    return budgets.size();
  }
}
