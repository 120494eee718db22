package dev.verdict.server.cluster;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Scheduler;
import dev.verdict.lang.rate.BudgetKey;
import dev.verdict.lang.rate.BudgetStore;
import dev.verdict.lang.rate.Rate;
import dev.verdict.lang.rate.RateOutcome;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;

/**
 * Cluster budgets with leases for hot keys ({@code cluster-lease}): a key this node sees twice
 * within a lease's lifetime takes a small batch of tokens from its owner in one round trip
 * ({@link GcraLease}) and admits from them here, without a round trip, until they are used up
 * or the lease expires; unused tokens then go back to the owner. Cold keys, sliding windows and
 * buckets too small to share out ({@link #leaseSize}) are counted on the owner as without leases.
 *
 * <p>What it guarantees, with {@code k} tokens per lease and {@code N} nodes:
 * <ul>
 *   <li>never more admissions than the owner granted: tokens are counted on the owner when
 *       leased, so over any period the cluster admits at most what one process admits over that
 *       period begun one lease lifetime earlier (a leased token may be used up to
 *       {@link #LEASE_LIFETIME} after it was counted);
 *   <li>fewer admissions than one process while other nodes hold leased tokens: at most
 *       {@code (N − 1) × (k − 1)} requests refused that the budget would have admitted, until
 *       those leases are used or expire (then their tokens are given back).
 * </ul>
 * A refusal from the owner is also kept here until its retry time, so a hot key over its limit
 * is refused without a round trip too (a token another node gives back meanwhile is found at
 * the retry time).
 *
 * <p>A lease the owner does not answer in time fails as a consumption does: the limit's
 * {@code on unavailable} mode applies. Tokens already leased are still used while the cluster
 * cannot answer: they are counted. Merging after a split brain is unchanged: leased tokens are
 * part of the owner's state.
 *
 * <p>Bounded: at most {@link #MAX_KEYS} keys' lease states (about 400 bytes each: 20 MB), the
 * least used going first (their unused tokens given back).
 */
public final class LeasingBudgetStore implements BudgetStore {
  /** How long a lease lives, and how close two requests for a key must come for it to be hot. */
  static final Duration LEASE_LIFETIME = Duration.ofSeconds(1);
  static final long MAX_KEYS = 50_000;
  /** A bucket is shared out only when a lease is at most this part of its burst. */
  static final int MIN_BURST_PER_LEASE_TOKEN = 10;

  private final ClusterBudgetStore owner;
  private final int tokens;
  private final Cache<String, HotKey> keys;
  private final LongAdder local = new LongAdder();

  /**
   * @param tokens the most tokens one lease takes (2 to {@link GcraLease#MAX_TOKENS})
   */
  public LeasingBudgetStore(ClusterBudgetStore owner, int tokens) {
    if (tokens < 2 || tokens > GcraLease.MAX_TOKENS) {
      throw new IllegalArgumentException("a lease takes 2 to " + GcraLease.MAX_TOKENS + " tokens, not " + tokens);
    }
    this.owner = owner;
    this.tokens = tokens;
    this.keys = Caffeine.newBuilder()
        .maximumSize(MAX_KEYS)
        .expireAfterAccess(LEASE_LIFETIME.multipliedBy(2))
        .scheduler(Scheduler.systemScheduler())
        .executor(ClusterCallbacks::execute)
        .<String, HotKey>removalListener((k, hot, cause) -> {
          if (hot != null && cause != RemovalCause.REPLACED) {
            hot.giveBackUnused(System.currentTimeMillis());
          }
        })
        .build();
  }

  /** How many tokens a lease of {@code rate} takes: 0 when the rate is not leased. */
  int leaseSize(Rate rate) {
    if (rate.window()) {
      return 0; // a window counts admission times: a token leased now and used later would be timed wrong
    }
    long size = Math.min(tokens, rate.burst() / MIN_BURST_PER_LEASE_TOKEN);
    return size < 2 ? 0 : (int) size;
  }

  @Override
  public CompletionStage<RateOutcome> consume(BudgetKey key, Rate rate, long nowMillis) {
    int size = leaseSize(rate);
    if (size == 0) {
      return owner.consume(key, rate, nowMillis);
    }
    return keys.get(stateKey(key, rate), k -> new HotKey(key, rate, size)).consume(nowMillis);
  }

  @Override
  public CompletionStage<Void> refund(BudgetKey key, Rate rate, long nowMillis) {
    HotKey hot = leaseSize(rate) == 0 ? null : keys.getIfPresent(stateKey(key, rate));
    if (hot != null && hot.takeBack(nowMillis)) {
      return CompletableFuture.completedFuture(null);
    }
    return owner.refund(key, rate, nowMillis);
  }

  /** Requests admitted from a lease, without a round trip. */
  public long admittedLocally() {
    return local.sum();
  }

  /** A rate's leases are kept apart from another's for the same budget: a token's worth depends on the rate. */
  private static String stateKey(BudgetKey key, Rate rate) {
    return ClusterBudgetStore.mapKey(key) + "|" + rate;
  }

  /** One key's lease on this node. Guarded by its own lock; never held across a round trip. */
  private final class HotKey {
    private final BudgetKey key;
    private final Rate rate;
    private final int size;
    /** When this node last asked the owner for the key; {@code -1}: never. */
    private long lastSeenMillis = -1;
    /** Leased tokens not used yet; valid until {@link #leaseUntilMillis}. */
    private int left;
    private long leaseUntilMillis;
    /** The owner's remaining budget when the lease was taken, and its reset time. */
    private long ownerRemaining;
    private long resetAtMillis;
    /** The owner's refusal, kept until its retry time. */
    private RateOutcome refusal;
    private long refusedUntilMillis;
    /** The lease on its way: others wait for it rather than asking too, and fail if it fails. */
    private CompletableFuture<Void> pending;

    HotKey(BudgetKey key, Rate rate, int size) {
      this.key = key;
      this.rate = rate;
      this.size = size;
    }

    CompletionStage<RateOutcome> consume(long nowMillis) {
      int giveBack;
      CompletableFuture<Void> mine;
      CompletableFuture<Void> waitFor;
      synchronized (this) {
        if (left > 0 && nowMillis < leaseUntilMillis) {
          left--;
          local.increment();
          return CompletableFuture.completedFuture(new RateOutcome(true, rate.burst(),
              Math.min(rate.burst(), ownerRemaining + left), Duration.ZERO,
              Duration.ofMillis(Math.max(0, resetAtMillis - nowMillis))));
        }
        if (refusal != null && nowMillis < refusedUntilMillis) {
          local.increment();
          return CompletableFuture.completedFuture(new RateOutcome(false, refusal.limit(), 0,
              Duration.ofMillis(refusedUntilMillis - nowMillis), Duration.ofMillis(Math.max(0, resetAtMillis - nowMillis))));
        }
        if (pending != null) {
          waitFor = pending;
          mine = null;
          giveBack = 0;
        } else {
          waitFor = null;
          boolean hot = lastSeenMillis >= 0 && nowMillis - lastSeenMillis < LEASE_LIFETIME.toMillis();
          lastSeenMillis = nowMillis;
          if (!hot && left == 0) {
            mine = null;
            giveBack = 0;
          } else {
            giveBack = left; // an expired lease's unused tokens
            left = 0;
            mine = new CompletableFuture<>();
            pending = mine;
          }
        }
      }
      // Round trips are asked for outside the lock.
      if (waitFor != null) {
        return ClusterCallbacks.handedBack(waitFor).thenCompose(x -> consume(nowMillis));
      }
      if (mine == null) {
        return owner.consume(key, rate, nowMillis);
      }
      CompletionStage<ClusterBudgetStore.Grant> asked;
      try {
        asked = owner.lease(key, rate, size, giveBack, nowMillis);
      } catch (RuntimeException e) {
        asked = CompletableFuture.failedFuture(e);
      }
      return asked.handle((grant, failure) -> {
        synchronized (this) {
          pending = null;
          if (grant != null) {
            RateOutcome o = grant.outcome();
            ownerRemaining = o.remaining();
            resetAtMillis = nowMillis + o.resetAfter().toMillis();
            if (grant.granted() > 0) {
              left = grant.granted() - 1; // one for this request
              leaseUntilMillis = nowMillis + LEASE_LIFETIME.toMillis();
              refusal = null;
            } else {
              refusal = o;
              refusedUntilMillis = nowMillis + Math.max(1, o.retryAfter().toMillis());
            }
          }
        }
        if (failure != null) {
          // Those waiting for this lease fail with it (their limit's fail mode), rather than
          // asking in turn and waiting one timeout after another.
          mine.completeExceptionally(failure);
          throw failure instanceof java.util.concurrent.CompletionException c ? c
              : new java.util.concurrent.CompletionException(failure);
        }
        mine.complete(null);
        RateOutcome o = grant.outcome();
        return grant.granted() > 0
            ? new RateOutcome(true, o.limit(), Math.min(o.limit(), o.remaining() + grant.granted() - 1), Duration.ZERO,
                o.resetAfter())
            : o;
      });
    }

    /** Puts back a token this node admitted from its lease, while the lease lives. */
    synchronized boolean takeBack(long nowMillis) {
      if (nowMillis >= leaseUntilMillis || left >= size) {
        return false;
      }
      left++;
      return true;
    }

    /** Gives the owner what this node leased and did not use (it leaves the cache). */
    void giveBackUnused(long nowMillis) {
      int unused;
      synchronized (this) {
        unused = left;
        left = 0;
      }
      if (unused > 0) {
        owner.lease(key, rate, 0, unused, nowMillis);
      }
    }
  }
}
