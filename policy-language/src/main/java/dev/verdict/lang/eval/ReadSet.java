package dev.verdict.lang.eval;

import java.util.List;

/**
 * What the rules, derived roles and field rules that can decide a request on one resource type
 * read from the request: the attribute paths under {@code principal}, {@code resource} and
 * {@code context}, and whether they read the entity hierarchy or the clock. Two requests that
 * agree on all of it get the same decision from the same policy version, which is what makes
 * a decision cacheable under a key of just those values.
 *
 * <p>Computed per resource type, over every action: a superset of what one action reads,
 * which can only make a cache key longer, never wrong. Rate limits are not included: a rate
 * outcome is never cached.
 *
 * @param cacheable false when a decision depends on the time ({@code context.now}): such a
 *     decision may change from one millisecond to the next
 * @param paths each path as its root ({@code principal}, {@code resource} or {@code context})
 *     followed by attribute names; a path of the root alone means the whole entity or record
 *     (its id and every attribute)
 * @param hierarchy the rules test {@code in} (or {@code is … in}) on entities, so the
 *     principal's and resource's parents and the request's entities matter
 */
public record ReadSet(boolean cacheable, List<List<String>> paths, boolean hierarchy) {
  public ReadSet {
    paths = paths.stream().map(List::copyOf).toList();
  }

  /** A decision that must never be cached. */
  static final ReadSet UNCACHEABLE = new ReadSet(false, List.of(), true);
}
