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
 */
final class TokenCache {
  private final Cache<String, VerifiedToken> cache;
  private final Clock clock;
  private final ClaimRules rules;
  private final Duration maxTtl;

  TokenCache(JwtConfig config, Clock clock, ClaimRules rules) {
    this.clock = clock;
    this.rules = rules;
    this.maxTtl = config.cacheMaxTtl();
    this.cache = Caffeine.newBuilder()
        .maximumSize(config.cacheMaxSize())
        .expireAfter(new UntilExpiry())
        .build();
  }

  Optional<VerifiedToken> get(String token) {
    String key = key(token);
    VerifiedToken hit = cache.getIfPresent(key);
    if (hit == null) {
      return Optional.empty();
    }
    if (!rules.unexpired(hit.expiresAt(), clock.instant())) {
      cache.invalidate(key);
      return Optional.empty();
    }
    return Optional.of(hit);
  }

  void put(String token, VerifiedToken verified) {
    if (ttl(verified).compareTo(Duration.ZERO) > 0) {
      cache.put(key(token), verified);
    }
  }

  void clear() {
    cache.invalidateAll();
  }

  long size() {
    cache.cleanUp();
    return cache.estimatedSize();
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

  private final class UntilExpiry implements Expiry<String, VerifiedToken> {
    @Override
    public long expireAfterCreate(String key, VerifiedToken value, long currentTime) {
      return Math.max(0, saturatedNanos(ttl(value)));
    }

    @Override
    public long expireAfterUpdate(String key, VerifiedToken value, long currentTime, long currentDuration) {
      return expireAfterCreate(key, value, currentTime);
    }

    @Override
    public long expireAfterRead(String key, VerifiedToken value, long currentTime, long currentDuration) {
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
