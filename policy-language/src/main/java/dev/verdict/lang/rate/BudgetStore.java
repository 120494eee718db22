package dev.verdict.lang.rate;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where rate budgets live: one state per key, consumed under the generic cell rate algorithm
 * (GCRA).
 *
 * <p>Implementations must make each consumption atomic per key: the read of the key's state,
 * the decision and the write happen as one step, never as a separate get and put, so that
 * concurrent requests for one key are admitted exactly as if they came one after another
 * (in memory, {@code ConcurrentHashMap.compute}; in a cluster, an entry processor on the key's
 * partition). Consumptions of different keys are independent.
 *
 * <p>Time is passed in, never read from a clock, so that tests and {@code verdict test} are
 * deterministic; a store must tolerate a {@code nowMillis} earlier than one it has seen (clocks
 * of cluster members differ) without admitting more than the rate. Callers choose the key,
 * including the limit's name in it, since one key is one budget whatever rate it is used with.
 */
public interface BudgetStore {

  /**
   * Consumes one request from {@code key}'s budget at {@code rate}, if the budget allows it.
   * A refused request consumes nothing.
   *
   * @param nowMillis the current time in milliseconds since the epoch (or any fixed origin
   *     used consistently), not negative
   */
  RateOutcome tryConsume(String key, Rate rate, long nowMillis);

  /**
   * The same as {@link #tryConsume}, for stores that have to ask another process. The default
   * runs {@link #tryConsume} on the calling thread; remote stores override it and must not
   * block. A failed stage (for example a timeout) leaves it to the caller to fail open or
   * closed for that limit.
   */
  default CompletionStage<RateOutcome> tryConsumeAsync(String key, Rate rate, long nowMillis) {
    try {
      return CompletableFuture.completedFuture(tryConsume(key, rate, nowMillis));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Gives back one request that {@link #tryConsume} admitted at {@code rate}, when the request
   * was refused after all (another limit on the same intent refused it): a refused request
   * consumes no budget. Atomic per key like {@code tryConsume}; never makes the budget larger
   * than a full one. The default does nothing, for stores that cannot give back.
   */
  default void refund(String key, Rate rate, long nowMillis) {}
}
