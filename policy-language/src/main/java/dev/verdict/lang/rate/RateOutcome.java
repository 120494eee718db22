package dev.verdict.lang.rate;

import java.time.Duration;
import java.util.Objects;

/**
 * The result of consuming from a budget, with what {@code RateLimit} and {@code Retry-After}
 * headers need.
 *
 * @param allowed whether the request was admitted (and consumed budget)
 * @param limit the most requests the key may make at once: the rate's burst
 * @param remaining how many more requests would be admitted right now
 * @param retryAfter when refused, exactly how long until one request would be admitted;
 *     zero when allowed
 * @param resetAfter how long until the key's budget is full again (it has {@code limit}
 *     requests available); zero when it already is
 */
public record RateOutcome(boolean allowed, long limit, long remaining, Duration retryAfter,
    Duration resetAfter) {

  public RateOutcome {
    Objects.requireNonNull(retryAfter, "retryAfter is null");
    Objects.requireNonNull(resetAfter, "resetAfter is null");
    if (limit < 1 || remaining < 0 || remaining > limit) {
      throw new IllegalArgumentException("remaining " + remaining + " is not within limit " + limit);
    }
    if (retryAfter.isNegative() || resetAfter.isNegative()) {
      throw new IllegalArgumentException("durations are not negative");
    }
    if (allowed && !retryAfter.isZero()) {
      throw new IllegalArgumentException("an admitted request has no retry delay");
    }
  }

  /** {@link #retryAfter} in whole seconds, rounded up, for a {@code Retry-After} header. */
  public long retryAfterSeconds() {
    return ceilSeconds(retryAfter);
  }

  /** {@link #resetAfter} in whole seconds, rounded up, for a {@code RateLimit} reset field. */
  public long resetAfterSeconds() {
    return ceilSeconds(resetAfter);
  }

  private static long ceilSeconds(Duration d) {
    return d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
  }
}
