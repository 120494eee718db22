package dev.verdict.engine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.verdict.lang.eval.Decision;
import java.util.concurrent.atomic.LongAdder;

/** {@link DecisionCache#local}: Caffeine, bounded by an estimate of each entry's bytes. */
final class LocalDecisionCache implements DecisionCache {
  /** Object headers, the key's fields and the map entry, and a decision's fixed parts. */
  private static final int ENTRY_OVERHEAD = 256;

  private final Cache<DecisionKey, Decision> cache;
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();

  LocalDecisionCache(long maxBytes) {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("a decision cache holds at least 1 byte, not " + maxBytes);
    }
    this.cache = Caffeine.newBuilder()
        .maximumWeight(maxBytes)
        .weigher((DecisionKey k, Decision d) -> weight(k, d))
        .executor(Runnable::run) // maintenance on the calling thread: no pool for a cache this cheap
        .build();
  }

  @Override
  public Decision get(DecisionKey key) {
    Decision d = cache.getIfPresent(key);
    (d == null ? misses : hits).increment();
    return d;
  }

  @Override
  public void put(DecisionKey key, Decision decision) {
    cache.put(key, decision);
  }

  @Override
  public Stats stats() {
    return new Stats(hits.sum(), misses.sum());
  }

  /** Strings count two bytes a character (the worst case of compact strings). */
  static int weight(DecisionKey k, Decision d) {
    return (int) Math.min(Integer.MAX_VALUE, (long) ENTRY_OVERHEAD + k.bytes() + DecisionCache.weightOf(d));
  }
}
