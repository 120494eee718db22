package dev.verdict.server.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.verdict.engine.DecisionCache;
import dev.verdict.engine.DecisionKey;
import dev.verdict.lang.eval.Decision;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;

/**
 * Decisions shared by the cluster (L2): a partitioned map keyed by the decision key's canonical
 * text, with a near cache on every member in object form, so a decision one node computed is
 * found by the others. The key carries the policy version, so an entry is never served under
 * another version; entries of old versions are unreachable and expire.
 *
 * <p>A lookup waits at most {@code timeoutMillis}, and {@link #getAsync} (the engine's path on
 * event loops) waits without holding the caller's thread; a slow cluster is a miss, and the node
 * decides locally. Writes are not waited for.
 */
public final class ClusterDecisionCache implements DecisionCache {
  /**
   * The most one entry may hold (key text and decision, as estimated by the local cache's
   * weigher); larger ones are not shared, so the near cache's entry bound is a bound in bytes.
   */
  static final int MAX_ENTRY_BYTES = 16 * 1024;

  private final IMap<String, CachedDecision> map;
  private final long timeoutMillis;
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder timeouts = new LongAdder();

  public ClusterDecisionCache(HazelcastInstance hz, long timeoutMillis) {
    this.map = hz.getMap(ClusterNode.DECISIONS);
    this.timeoutMillis = timeoutMillis;
  }

  /** Waits for {@link #getAsync}, which is bounded by the timeout: for callers off event loops. */
  @Override
  public Decision get(DecisionKey key) {
    return getAsync(key).toCompletableFuture().join();
  }

  /**
   * A near cache hit at once; otherwise the owner's answer, or a miss when it has not come within
   * the timeout, completed on the caller's Vert.x context (on {@link ClusterCallbacks}' threads
   * for a caller outside Vert.x). Never fails: whatever goes wrong is a miss, and the node decides locally.
   */
  @Override
  public CompletionStage<Decision> getAsync(DecisionKey key) {
    CompletableFuture<CachedDecision> asked;
    try {
      asked = map.getAsync(key.text()).toCompletableFuture();
    } catch (RuntimeException e) {
      // Hazelcast refuses some calls at once instead of failing their future (a member no longer
      // active, an overloaded invocation registry): a miss as well.
      return CompletableFuture.completedFuture(counted(key, null));
    }
    if (asked.isDone()) {
      // A near cache hit: read at once. A callback on Hazelcast's future would be handed to
      // another thread (milliseconds on a busy machine) even though the value is here.
      try {
        return CompletableFuture.completedFuture(counted(key, asked.getNow(null)));
      } catch (RuntimeException e) {
        return CompletableFuture.completedFuture(counted(key, null));
      }
    }
    // Hazelcast's own future is completed by Hazelcast only: a timeout completes ours.
    CompletableFuture<CachedDecision> fetched = new CompletableFuture<>();
    asked.whenCompleteAsync((c, failure) -> {
      if (failure != null) {
        fetched.completeExceptionally(failure);
      } else {
        fetched.complete(c);
      }
    }, ClusterCallbacks.WHERE_IT_ARRIVES);
    CompletableFuture<Decision> counted = fetched.orTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .handle((c, failure) -> {
          if (failure instanceof TimeoutException) {
            timeouts.increment();
          }
          return counted(key, failure == null ? c : null);
        });
    // Whoever completes the answer goes on to decide and to ask for budgets: not a Hazelcast
    // thread (a partition thread must not call into other partitions; a budget's entry processor
    // there failed with IllegalThreadStateException), nor the JDK's single timer thread.
    return ClusterCallbacks.handedBack(counted);
  }

  /** The decision in {@code c} if it answers {@code key} (null: a miss), counted. */
  private Decision counted(DecisionKey key, CachedDecision c) {
    if (c == null || !c.decision().policyVersion().equals(key.policyVersion())) {
      misses.increment();
      return null;
    }
    hits.increment();
    return c.decision();
  }

  @Override
  public void put(DecisionKey key, Decision decision) {
    if (decision.rate().isEmpty() && decision.trace().isEmpty()
        && 2L * key.text().length() + dev.verdict.engine.DecisionCache.weightOf(decision) <= MAX_ENTRY_BYTES) {
      try {
        map.setAsync(key.text(), new CachedDecision(decision));
      } catch (RuntimeException e) {
        // not shared this time; the decision was made and is answered all the same
      }
    }
  }

  @Override
  public Stats stats() {
    return new Stats(hits.sum(), misses.sum());
  }

  /** Lookups that took longer than the timeout (counted as misses too). */
  public long timeouts() {
    return timeouts.sum();
  }
}
