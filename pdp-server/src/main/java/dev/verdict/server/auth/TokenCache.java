package dev.verdict.server.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * Verified tokens by the SHA-256 of the token, so that no token is kept as a key (a heap dump
 * of the cache yields no usable credential). Entries live until the token's expiry (plus the
 * skew it was accepted with) or the configured maximum, whichever is sooner; because the cache's
 * own timer and the injected clock may disagree, every hit is checked against the clock too.
 *
 * <p>Bounded by weight, in bytes, not by count: a token may carry kilobytes of roles and claims,
 * so a count that fits the heap with small tokens does not with large ones. An entry weighs an
 * estimate of what it holds, derived from the token's length (everything it holds came from the
 * token's claims).
 */
final class TokenCache {
  /** Fixed cost of an entry: the key (a 43-character digest), the cache's node, the token's objects. */
  static final int ENTRY_OVERHEAD = 512;

  private final Cache<String, Entry> cache;
  private final Clock clock;
  private final ClaimRules rules;
  private final Duration maxTtl;

  TokenCache(JwtConfig config, Clock clock, ClaimRules rules) {
    this.clock = clock;
    this.rules = rules;
    this.maxTtl = config.cacheMaxTtl();
    this.cache = Caffeine.newBuilder()
        .maximumWeight(config.cacheMaxBytes())
        .weigher((String key, Entry e) -> e.weight())
        .expireAfter(new UntilExpiry())
        .build();
  }

  Optional<VerifiedToken> get(String token) {
    String key = key(token);
    Entry e = cache.getIfPresent(key);
    if (e == null) {
      return Optional.empty();
    }
    VerifiedToken hit = e.token();
    if (!rules.unexpired(hit.expiresAt(), clock.instant())) {
      cache.invalidate(key);
      return Optional.empty();
    }
    return Optional.of(hit);
  }

  void put(String token, VerifiedToken verified) {
    if (ttl(verified).compareTo(Duration.ZERO) > 0) {
      cache.put(key(token), new Entry(verified, weight(token)));
    }
  }

  void clear() {
    cache.invalidateAll();
  }

  long size() {
    cache.cleanUp();
    return cache.estimatedSize();
  }

  /** A cached token with its estimated weight. */
  private record Entry(VerifiedToken token, int weight) {}

  /**
   * Bytes an entry holds, over-estimated: the claims decode to 3/4 of the token's length, and as
   * strings, sets and values in the heap they take a few times their encoded size.
   */
  static int weight(String token) {
    return (int) Math.min(Integer.MAX_VALUE, ENTRY_OVERHEAD + 4L * token.length());
  }

  /** The estimated bytes held now. */
  long weightedSize() {
    cache.cleanUp();
    return cache.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
  }

  private Duration ttl(VerifiedToken v) {
    Duration left = Duration.between(clock.instant(), v.expiresAt().plus(rules.skew()));
    return left.compareTo(maxTtl) < 0 ? left : maxTtl;
  }

  static String key(String token) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      // every Java platform must provide SHA-256 (java.security.MessageDigest spec)
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  private final class UntilExpiry implements Expiry<String, Entry> {
    @Override
    public long expireAfterCreate(String key, Entry value, long currentTime) {
      return Math.max(0, saturatedNanos(ttl(value.token())));
    }

    @Override
    public long expireAfterUpdate(String key, Entry value, long currentTime, long currentDuration) {
      return expireAfterCreate(key, value, currentTime);
    }

    @Override
    public long expireAfterRead(String key, Entry value, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return d.isNegative() ? 0 : Long.MAX_VALUE;
    }
  }
}
