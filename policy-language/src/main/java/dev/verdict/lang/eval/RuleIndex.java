package dev.verdict.lang.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The permits or the forbids for one resource type and action, indexed by role: rules for
 * anyone, rules per role name, and rules that name a derived role (which must be evaluated).
 * A decision's cost follows the principal's roles, not the number of rules.
 */
final class RuleIndex {

  /** The set's own rules, then the rules of links (from {@link #ownRules} on). */
  final CompiledRule[] all;
  /** How many of {@link #all} are the set's own rules; the rest are links', reached through {@link #links}. */
  final int ownRules;
  private final int[] anyone;
  private final Map<String, int[]> byRole;
  private final int[] derived;
  private final LinkIndex links;

  RuleIndex(List<CompiledRule> rules) {
    this(rules, List.of());
  }

  RuleIndex(List<CompiledRule> rules, List<CompiledTemplate.LinkedRule> linked) {
    this.ownRules = rules.size();
    List<CompiledRule> every = new ArrayList<>(rules);
    linked.forEach(l -> every.add(l.rule()));
    this.all = every.toArray(new CompiledRule[0]);
    this.links = linked.isEmpty() ? null : new LinkIndex(linked, ownRules);
    List<Integer> any = new ArrayList<>();
    Map<String, List<Integer>> roles = new LinkedHashMap<>();
    List<Integer> der = new ArrayList<>();
    for (int i = 0; i < ownRules; i++) {
      CompiledRule r = all[i];
      if (r.roles.length == 0) {
        any.add(i);
        continue;
      }
      for (String role : r.roles) {
        roles.computeIfAbsent(role, k -> new ArrayList<>()).add(i);
      }
      if (r.derivedRoles.length > 0) {
        der.add(i);
      }
    }
    this.anyone = ints(any);
    Map<String, int[]> m = new HashMap<>();
    roles.forEach((k, v) -> m.put(k, ints(v)));
    this.byRole = m;
    this.derived = ints(der);
  }

  private static int[] ints(List<Integer> list) {
    int[] out = new int[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = list.get(i);
    }
    return out;
  }

  boolean isEmpty() {
    return all.length == 0;
  }

  /** The most hits one decision can collect from this index. */
  int capacity() {
    return links == null ? all.length : ownRules + links.capacity;
  }

  /**
   * Evaluates every rule the principal may hold and collects those that count as the env's
   * hits ({@link Env#hit}: rule positions in {@link #all}, in order); returns the number of hits.
   */
  int evaluate(Env env) {
    if (all.length == 0) {
      return 0;
    }
    int capacity = capacity();
    int n = 0;
    // rules for anyone have no role, so no other list holds them: nothing to mark
    for (int i : anyone) {
      CompiledRule r = all[i];
      if (r.counts(r.evaluate(env, true))) {
        n = env.hit(n, i, capacity);
      }
    }
    // the rules already reached through a role (a rule names several; a principal holds
    // several): one bit each, in a local while the rules fit in one long (no array to allocate)
    long small = 0;
    long[] seen = ownRules > 64 ? new long[(ownRules + 63) >>> 6] : null;
    if (!byRole.isEmpty()) {
      for (Value role : env.roles()) {
        int[] list = role instanceof Value.Str s ? byRole.get(s.value()) : null;
        if (list == null) {
          continue;
        }
        for (int i : list) {
          long bit = 1L << i;
          if (seen == null) {
            if ((small & bit) != 0) {
              continue;
            }
            small |= bit;
          } else {
            if ((seen[i >>> 6] & bit) != 0) {
              continue;
            }
            seen[i >>> 6] |= bit;
          }
          CompiledRule r = all[i];
          if (r.counts(r.evaluate(env, true))) {
            n = env.hit(n, i, capacity);
          }
        }
      }
    }
    for (int i : derived) {
      long bit = 1L << i;
      if ((seen == null ? small & bit : seen[i >>> 6] & bit) != 0) {
        continue;
      }
      CompiledRule r = all[i];
      if (r.counts(r.evaluate(env, false))) {
        n = env.hit(n, i, capacity);
      }
    }
    if (links != null) {
      n = links.evaluate(env, all, n, capacity);
    }
    env.sortHits(n);
    return n;
  }

  /** The explained path: every rule in source order, roles checked in full. */
  int evaluateAll(Env env) {
    int capacity = capacity();
    int n = 0;
    for (int i = 0; i < ownRules; i++) {
      CompiledRule r = all[i];
      if (r.counts(r.evaluate(env, false))) {
        n = env.hit(n, i, capacity);
      }
    }
    // links: only those whose key slot fits the request (a trace of every link would be unreadable)
    return links == null ? n : links.evaluate(env, all, n, capacity);
  }
}
