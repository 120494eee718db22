package dev.verdict.lang.eval;

import dev.verdict.lang.data.EntityUid;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules of links in one {@link RuleIndex}, by the entity their key slot names (see
 * {@link CompiledTemplate#keySlot}). A decision looks up the request's principal and resource
 * (with their ancestors for {@code in} slots) instead of evaluating every link: 10,000 links
 * on one template cost a decision one hash lookup.
 */
final class LinkIndex {
  /** Bounds the walk up the hierarchy for {@code in} slots, like {@link EntityView}'s. */
  private static final int MAX_ANCESTORS = 4096;

  private final Map<EntityUid, int[]> principalIs;
  private final Map<EntityUid, int[]> resourceIs;
  private final Map<EntityUid, int[]> principalIn;
  private final Map<EntityUid, int[]> resourceIn;
  /** The most hits one decision can collect from this index. */
  final int capacity;

  /** @param rules the links' rules with their positions in the {@link RuleIndex}, from {@code first} on */
  LinkIndex(List<CompiledTemplate.LinkedRule> rules, int first) {
    Map<EntityUid, List<Integer>> pIs = new HashMap<>();
    Map<EntityUid, List<Integer>> rIs = new HashMap<>();
    Map<EntityUid, List<Integer>> pIn = new HashMap<>();
    Map<EntityUid, List<Integer>> rIn = new HashMap<>();
    int inCount = 0;
    for (int i = 0; i < rules.size(); i++) {
      CompiledTemplate.LinkedRule r = rules.get(i);
      boolean principal = r.var() == dev.verdict.lang.ast.Expr.VarKind.PRINCIPAL;
      Map<EntityUid, List<Integer>> m = r.in() ? (principal ? pIn : rIn) : (principal ? pIs : rIs);
      m.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(first + i);
      inCount += r.in() ? 1 : 0;
    }
    this.principalIs = frozen(pIs);
    this.resourceIs = frozen(rIs);
    this.principalIn = frozen(pIn);
    this.resourceIn = frozen(rIn);
    this.capacity = largest(principalIs) + largest(resourceIs) + inCount;
  }

  private static Map<EntityUid, int[]> frozen(Map<EntityUid, List<Integer>> m) {
    Map<EntityUid, int[]> out = new HashMap<>();
    m.forEach((k, v) -> out.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
    return out;
  }

  private static int largest(Map<EntityUid, int[]> m) {
    int n = 0;
    for (int[] v : m.values()) {
      n = Math.max(n, v.length);
    }
    return n;
  }

  /**
   * Evaluates the links that can apply to the request, adding those that count to the env's
   * hits from {@code n} (of at most {@code capacity}).
   */
  int evaluate(Env env, CompiledRule[] all, int n, int capacity) {
    n = each(principalIs.get(env.principal), env, all, n, capacity);
    n = each(resourceIs.get(env.resource), env, all, n, capacity);
    if (!principalIn.isEmpty()) {
      for (EntityUid u : closure(env, env.principal)) {
        n = each(principalIn.get(u), env, all, n, capacity);
      }
    }
    if (!resourceIn.isEmpty()) {
      for (EntityUid u : closure(env, env.resource)) {
        n = each(resourceIn.get(u), env, all, n, capacity);
      }
    }
    return n;
  }

  private static int each(int[] list, Env env, CompiledRule[] all, int n, int capacity) {
    if (list == null) {
      return n;
    }
    for (int i : list) {
      CompiledRule r = all[i];
      if (r.counts(r.evaluate(env, false))) {
        n = env.hit(n, i, capacity);
      }
    }
    return n;
  }

  /** {@code uid} and its ancestors as the request sees them (its entities take precedence). */
  private static Set<EntityUid> closure(Env env, EntityUid uid) {
    Set<EntityUid> seen = new HashSet<>();
    seen.add(uid);
    ArrayDeque<EntityUid> todo = new ArrayDeque<>();
    todo.add(uid);
    while (!todo.isEmpty() && seen.size() < MAX_ANCESTORS) {
      for (EntityUid p : env.parents(todo.poll())) {
        if (seen.add(p)) {
          todo.add(p);
        }
      }
    }
    return seen;
  }
}
