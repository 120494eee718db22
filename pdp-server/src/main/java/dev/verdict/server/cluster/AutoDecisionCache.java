package dev.verdict.server.cluster;

import dev.verdict.engine.DecisionCache;
import dev.verdict.engine.DecisionKey;
import dev.verdict.lang.eval.Decision;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/**
 * {@code decision-cache: auto}: this node's cache always, the cluster's only where it pays. A
 * decision is shared when computing it took longer than fetching one from the cluster takes,
 * and the cluster is asked on a local miss only while this node's recent decisions cost more
 * to compute than a fetch. With compiled rules (a fraction of a microsecond) against a fetch of
 * 45 µs or more, that is never for plain decisions; it is for those that are slow to compute
 * (large entity graphs, deep hierarchies, large requests), and a node under such load shares.
 *
 * <p>Costs are moving averages on this node: the time from a local miss to the decision being
 * filed (what the engine spent computing it) and the time of each cluster lookup, starting
 * from a fetch cost of {@link #INITIAL_FETCH_NANOS}.
 */
public final class AutoDecisionCache implements DecisionCache {
  /** An L2 round trip measured on loopback (docs/benchmarks.md); corrected by what this node sees. */
  static final long INITIAL_FETCH_NANOS = 50_000;
  /** Weight of the newest sample in the moving averages (about the last 16 samples count). */
  private static final double ALPHA = 1.0 / 16;

  private final DecisionCache local;
  private final DecisionCache cluster;
  private final LongSupplier nanoTime;
  private final ThreadLocal<long[]> missedAt = ThreadLocal.withInitial(() -> new long[] {-1});
  private volatile double computeNanos;
  private volatile double fetchNanos = INITIAL_FETCH_NANOS;

  public AutoDecisionCache(DecisionCache local, DecisionCache cluster) {
    this(local, cluster, System::nanoTime);
  }

  AutoDecisionCache(DecisionCache local, DecisionCache cluster, LongSupplier nanoTime) {
    this.local = local;
    this.cluster = cluster;
    this.nanoTime = nanoTime;
  }

  @Override
  public Decision get(DecisionKey key) {
    Decision d = local.get(key);
    if (d != null) {
      return d;
    }
    if (computeNanos > fetchNanos) {
      long start = nanoTime.getAsLong();
      d = cluster.get(key);
      fetchNanos += ALPHA * ((nanoTime.getAsLong() - start) - fetchNanos);
      if (d != null) {
        local.put(key, d);
        return d;
      }
    }
    missedAt.get()[0] = nanoTime.getAsLong();
    return null;
  }

  /** {@link #get} without waiting for the cluster. */
  @Override
  public CompletionStage<Decision> getAsync(DecisionKey key) {
    Decision d = local.get(key);
    if (d != null) {
      return CompletableFuture.completedFuture(d);
    }
    if (computeNanos > fetchNanos) {
      long start = nanoTime.getAsLong();
      return cluster.getAsync(key).thenApply(found -> {
        fetchNanos += ALPHA * ((nanoTime.getAsLong() - start) - fetchNanos);
        if (found != null) {
          local.put(key, found);
        } else {
          // the thread that completes the stage usually goes on to decide and file the decision,
          // so its put finds this (when not, one cost sample is lost)
          missedAt.get()[0] = nanoTime.getAsLong();
        }
        return found;
      });
    }
    missedAt.get()[0] = nanoTime.getAsLong();
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void put(DecisionKey key, Decision decision) {
    local.put(key, decision);
    long[] at = missedAt.get();
    if (at[0] < 0) {
      return; // not after a miss of ours: no cost to judge by
    }
    long cost = nanoTime.getAsLong() - at[0];
    at[0] = -1;
    computeNanos += ALPHA * (cost - computeNanos);
    if (cost > fetchNanos) {
      cluster.put(key, decision);
    }
  }

  /** This node's cache's figures; {@link #cluster()} has the shared one's. */
  @Override
  public Stats stats() {
    return local.stats();
  }

  public DecisionCache local() {
    return local;
  }

  public DecisionCache cluster() {
    return cluster;
  }
}
