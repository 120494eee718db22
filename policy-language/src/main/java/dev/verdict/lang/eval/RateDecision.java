package dev.verdict.lang.eval;

import java.time.Duration;
import java.util.Objects;

/**
 * The rate outcome of an allowed request with an intent: the limit that decided it (the one
 * that refused, or the tightest that admitted), with enough for {@code RateLimit} headers.
 */
public record RateDecision(String intent, String limit, String key, boolean allowed, long quota,
    Duration window, long remaining, Duration retryAfter, Duration resetAfter) {
  public RateDecision {
    Objects.requireNonNull(intent, "intent is null");
    Objects.requireNonNull(limit, "limit is null");
    Objects.requireNonNull(key, "key is null");
    Objects.requireNonNull(window, "window is null");
    Objects.requireNonNull(retryAfter, "retryAfter is null");
    Objects.requireNonNull(resetAfter, "resetAfter is null");
  }
}
