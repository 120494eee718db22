package dev.verdict.lang.rate;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Budgets in this process's memory, under GCRA with one {@code long} per key: its theoretical
 * arrival time (TAT), in microseconds.
 *
 * <p>A request at {@code now} is admitted iff {@code now ≥ TAT − τ}; then
 * {@code TAT = max(TAT, now) + T} (see {@link Rate} for {@code T} and {@code τ}). A refused
 * request may retry after exactly {@code TAT − τ − now}. Each consumption is one
 * {@link ConcurrentHashMap#compute}, atomic per key and lock-free across keys.
 *
 * <p>Memory is bounded to about {@code maxKeys} keys. A key whose TAT is not after {@code now}
 * behaves exactly like an absent key, so when an insertion takes the store over its bound, a
 * sweep first drops all such idle keys, and only if that is not enough drops the keys closest
 * to being idle, down to 90% of the bound. A key dropped early starts again with its full
 * burst: under a flood of distinct keys the store forgets the least-used budgets rather than
 * refusing new keys or growing without bound. Sweeps run on the inserting thread, one at a
 * time, and are amortised over at least a tenth of the bound in insertions.
 */
public final class InMemoryBudgetStore implements BudgetStore {

  /** The default bound on the number of keys held. */
  public static final int DEFAULT_MAX_KEYS = 1_000_000;

  /** Beyond this, {@code now} in microseconds plus a rate's window could overflow. */
  private static final long MAX_NOW_MILLIS = 6_000_000_000_000_000L;

  private final ConcurrentHashMap<String, Long> tats = new ConcurrentHashMap<>();
  private final int maxKeys;
  private final int lowWater;
  private final AtomicBoolean sweeping = new AtomicBoolean();

  /** A store holding at most {@value #DEFAULT_MAX_KEYS} keys. */
  public InMemoryBudgetStore() {
    this(DEFAULT_MAX_KEYS);
  }

  /** A store holding at most about {@code maxKeys} keys (at least 1). */
  public InMemoryBudgetStore(int maxKeys) {
    if (maxKeys < 1) {
      throw new IllegalArgumentException("a budget store holds at least 1 key, not " + maxKeys);
    }
    this.maxKeys = maxKeys;
    this.lowWater = Math.max(1, maxKeys - Math.max(1, maxKeys / 10));
  }

  @Override
  public RateOutcome tryConsume(String key, Rate rate, long nowMillis) {
    Objects.requireNonNull(key, "key is null");
    Objects.requireNonNull(rate, "rate is null");
    if (nowMillis < 0 || nowMillis > MAX_NOW_MILLIS) {
      throw new IllegalArgumentException("time " + nowMillis + " ms is out of range");
    }
    long now = nowMillis * 1_000L;
    long t = rate.emissionIntervalMicros();
    long tau = rate.toleranceMicros();
    // [0] TAT after the attempt, [1] 1 when admitted, [2] 1 when the key was new
    long[] result = new long[3];
    tats.compute(key, (k, old) -> {
      result[2] = old == null ? 1 : 0;
      if (old != null && now < old - tau) {
        result[0] = old;
        return old;
      }
      long tat = (old == null ? now : Math.max(old, now)) + t;
      result[0] = tat;
      result[1] = 1;
      return tat;
    });
    if (result[2] == 1 && tats.mappingCount() > maxKeys) {
      sweep(now);
    }
    return outcome(result[1] == 1, result[0], now, t, tau, rate.burst());
  }

  /** Moves the key's TAT back by one emission interval, never before now (a full budget). */
  @Override
  public void refund(String key, Rate rate, long nowMillis) {
    Objects.requireNonNull(key, "key is null");
    Objects.requireNonNull(rate, "rate is null");
    long now = Math.max(0, Math.min(nowMillis, MAX_NOW_MILLIS)) * 1_000L;
    long t = rate.emissionIntervalMicros();
    tats.computeIfPresent(key, (k, old) -> {
      long tat = old - t;
      return tat <= now ? null : tat; // at or before now the key is as good as absent
    });
  }

  private static RateOutcome outcome(boolean allowed, long tat, long now, long t, long tau, long burst) {
    long headroom = now + tau - Math.max(tat, now);
    long remaining = headroom < 0 ? 0 : Math.min(burst, headroom / t + 1);
    Duration retryAfter = allowed ? Duration.ZERO : micros(tat - tau - now);
    Duration resetAfter = micros(Math.max(0, tat - now));
    return new RateOutcome(allowed, burst, remaining, retryAfter, resetAfter);
  }

  private static Duration micros(long micros) {
    return Duration.ofSeconds(micros / 1_000_000L, (micros % 1_000_000L) * 1_000L);
  }

  /** How many keys are held now; concurrent updates make it an estimate. */
  public long size() {
    return tats.mappingCount();
  }

  private void sweep(long now) {
    if (!sweeping.compareAndSet(false, true)) {
      return;
    }
    try {
      // removeIf on the values view removes an entry only if it still holds the value tested,
      // so a key consumed concurrently is never dropped on a stale reading.
      tats.values().removeIf(tat -> tat <= now);
      long excess = tats.mappingCount() - lowWater;
      if (excess <= 0) {
        return;
      }
      long[] values = tats.values().stream().mapToLong(Long::longValue).toArray();
      if (values.length == 0) {
        return;
      }
      Arrays.sort(values);
      long threshold = values[(int) Math.min(values.length, excess) - 1];
      tats.values().removeIf(tat -> tat <= threshold);
    } finally {
      sweeping.set(false);
    }
  }

  @Override
  public String toString() {
    return "InMemoryBudgetStore[" + size() + " of " + maxKeys + " keys]";
  }
}
