package dev.verdict.sdk;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Duration;
import java.util.Optional;

/**
 * Decisions reused for as long as the decision point said they may be, bounded in bytes. An
 * answer from another policy version empties the cache: the set changed, so every stored
 * answer may be stale. Rate-limited decisions and decisions that carried a rate outcome are
 * never stored, since each request must spend its budget.
 */
final class LocalDecisions {
  /** What one entry costs besides its key: the decision's lists and maps, roughly. */
  private static final int ENTRY_OVERHEAD_BYTES = 512;
  /** Longer keys are not stored: one principal with huge attributes must not evict everyone. */
  static final int MAX_KEY_CHARS = 8_192;

  private record Entry(Decision decision, long ttlNanos) {}

  /**
   * One question, as the wire sends it: the principal, resource, action and context texts. Kept
   * apart rather than joined, so a lookup hashes nothing new (each text caches its hash).
   */
  record Key(String principal, String resource, String action, String context) {
    int chars() {
      return principal.length() + resource.length() + action.length() + context.length();
    }
  }

  private final Cache<LocalDecisions.Key, Entry> cache;
  private final Duration maxTtl;
  private volatile String version = "";

  LocalDecisions(long maxBytes, Duration maxTtl) {
    this.maxTtl = maxTtl;
    this.cache = Caffeine.newBuilder()
        .maximumWeight(maxBytes)
        .weigher((Key k, Entry e) -> k.chars() * 2 + ENTRY_OVERHEAD_BYTES)
        .expireAfter(new Expiry<Key, Entry>() {
          @Override
          public long expireAfterCreate(Key key, Entry e, long now) {
            return e.ttlNanos();
          }

          @Override
          public long expireAfterUpdate(Key key, Entry e, long now, long current) {
            return e.ttlNanos();
          }

          @Override
          public long expireAfterRead(Key key, Entry e, long now, long current) {
            return current;
          }
        })
        .build();
  }

  Optional<Decision> get(Key key) {
    Entry e = cache.getIfPresent(key);
    return e == null ? Optional.empty() : Optional.of(e.decision());
  }

  /** Notes the version an answer came from; a new one empties the cache. */
  void observe(String policyVersion) {
    if (!policyVersion.isEmpty() && !policyVersion.equals(version)) {
      synchronized (this) {
        if (!policyVersion.equals(version)) {
          version = policyVersion;
          cache.invalidateAll();
        }
      }
    }
  }

  /** Stores {@code d} for {@code serverTtl} (capped by the client's own), if it may be stored at all. */
  void put(Key key, Decision d, Duration serverTtl) {
    Duration ttl = serverTtl.compareTo(maxTtl) < 0 ? serverTtl : maxTtl;
    if (ttl.isZero() || ttl.isNegative() || d.failure().isPresent() || d.rate().isPresent()
        || d.outcome() == Decision.Outcome.RATE_LIMITED || key.chars() > MAX_KEY_CHARS
        || !d.policyVersion().equals(version)) {
      return;
    }
    cache.put(key, new Entry(d, ttl.toNanos()));
  }

  long size() {
    cache.cleanUp();
    return cache.estimatedSize();
  }
}
