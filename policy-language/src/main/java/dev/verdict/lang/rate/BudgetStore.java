package dev.verdict.lang.rate;

import java.util.concurrent.CompletionStage;

/**
 * Where rate budgets live: one {@link Gcra} state per {@link BudgetKey}.
 *
 * <p>Asynchronous, so that a store in another process (an entry processor on the key's
 * partition) fits behind the same interface; a store in this process returns stages that are
 * already complete, which lets callers on an event loop use them synchronously (see
 * {@code RateLimiter.apply}).
 *
 * <p>Implementations run {@link Gcra#consume} and {@link Gcra#refund} atomically per key: the
 * read of the key's state, the step and the write happen as one operation, never as a separate
 * get and put, so concurrent requests for one key are admitted exactly as if they came one
 * after another. Operations on different keys are independent.
 *
 * <p>Time is passed in, never read from a clock, so that tests and {@code verdict test} are
 * deterministic; a store must tolerate a {@code nowMillis} earlier than one it has seen (clocks
 * of cluster members differ) without admitting more than the rate, which {@link Gcra} does.
 *
 * <p>A stage that fails (a timeout, a lost member) is a refused request for that limit: the
 * caller fails closed, never open.
 */
public interface BudgetStore {

  /**
   * Consumes one request from {@code key}'s budget at {@code rate}, if the budget allows it.
   * A refused request consumes nothing.
   *
   * @param nowMillis the current time in milliseconds since the epoch (or any fixed origin
   *     used consistently), not negative
   */
  CompletionStage<RateOutcome> consume(BudgetKey key, Rate rate, long nowMillis);

  /**
   * Gives back one request that {@link #consume} admitted at {@code rate}, when the request was
   * refused after all (another limit on the same intent refused it): a refused request consumes
   * no budget. Never makes the budget larger than a full one.
   */
  CompletionStage<Void> refund(BudgetKey key, Rate rate, long nowMillis);
}
