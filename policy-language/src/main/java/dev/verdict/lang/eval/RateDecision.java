package dev.verdict.lang.eval;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import dev.verdict.lang.rate.FailMode;

/**
 * The rate outcome of an allowed request with an intent: the limit that decided it (the one
 * that refused, or the tightest that admitted), with enough for {@code RateLimit} headers.
 *
 * @param unavailable the limit's {@code on unavailable} mode when its budget store could not
 *     answer and that mode decided; empty when the store answered
 */
public record RateDecision(String intent, String limit, String key, boolean allowed, long quota,
    Duration window, long remaining, Duration retryAfter, Duration resetAfter, Optional<FailMode> unavailable) {

  public RateDecision(String intent, String limit, String key, boolean allowed, long quota, Duration window,
      long remaining, Duration retryAfter, Duration resetAfter) {
    this(intent, limit, key, allowed, quota, window, remaining, retryAfter, resetAfter, Optional.empty());
  }

  public RateDecision {
    Objects.requireNonNull(unavailable, "unavailable is null");
    Objects.requireNonNull(intent, "intent is null");
    Objects.requireNonNull(limit, "limit is null");
    Objects.requireNonNull(key, "key is null");
    Objects.requireNonNull(window, "window is null");
    Objects.requireNonNull(retryAfter, "retryAfter is null");
    Objects.requireNonNull(resetAfter, "resetAfter is null");
  }
}
