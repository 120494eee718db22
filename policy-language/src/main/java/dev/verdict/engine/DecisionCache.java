package dev.verdict.engine;

import dev.verdict.lang.eval.Decision;
import dev.verdict.lang.eval.EvalError;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Remembers decisions by {@link DecisionKey}. The engine asks only for decisions that can be
 * cached: never one that reads the clock, never one with a trace, and never the rate outcome —
 * it caches what the rules decided and applies budgets to every request afresh. A key carries
 * its policy version, so a decision is never served under another version.
 *
 * <p>Implementations must be thread-safe, bounded in bytes, and quick: the engine calls them on
 * the deciding thread. {@link #local} is the in-process cache; a cluster-wide one plugs in here,
 * and answers {@link #getAsync} without waiting for the cluster, because the engine's
 * asynchronous path runs on event loops.
 */
public interface DecisionCache {

  /** The decision filed under {@code key}, or null. */
  Decision get(DecisionKey key);

  /**
   * The decision filed under {@code key}, for a caller that must not wait (the engine's
   * asynchronous path, on an event loop). A cache that asks another process answers what this
   * process holds at once and otherwise completes the stage when the other process answers or its
   * own timeout runs out (then with null, a miss); the stage never fails. Whatever thread completes
   * it goes on to compute the decision, so it must not be one that may not run user work (a cache
   * over a remote map completes on its own timeout or response thread, not on the caller's).
   *
   * <p>The default asks {@link #get}: right for caches in this process's memory.
   */
  default CompletionStage<Decision> getAsync(DecisionKey key) {
    return CompletableFuture.completedFuture(get(key));
  }

  void put(DecisionKey key, Decision decision);

  /** Hits and misses so far. */
  Stats stats();

  /** @param hits lookups answered from the cache @param misses lookups that were not */
  record Stats(long hits, long misses) {}

  /**
   * About how many bytes a cached decision holds (its reasons, errors and masks; strings at two
   * bytes a character): what caches weigh entries by.
   */
  static long weightOf(Decision d) {
    long w = 0;
    for (String r : d.reasons()) {
      w += 48 + 2L * r.length();
    }
    for (EvalError e : d.errors()) {
      w += 128 + 2L * e.message().length();
    }
    return w + 96L * d.readMask().size() + 64L * d.writeDenied().size();
  }

  /** A cache in this process's memory, holding at most about {@code maxBytes} of keys and decisions. */
  static DecisionCache local(long maxBytes) {
    return new LocalDecisionCache(maxBytes);
  }
}
