package dev.verdict.lang.data;

import dev.verdict.lang.source.Code;
import dev.verdict.lang.source.Diagnostic;
import dev.verdict.lang.source.Span;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The entities of one or more data files as a parent graph: lookup by uid, ancestor sets,
 * and the checks every hierarchy must pass whatever the schema: each uid defined once, no
 * cycle, at most {@value #MAX_DEPTH} parent links from any entity to the top.
 *
 * <p>A parent that no file defines is allowed (the request may bring it) and is an ancestor
 * like any other. Works without recursion, in time linear in entities and parent links.
 */
public final class EntityHierarchy {
  public static final int MAX_DEPTH = 32;

  private final Map<EntityUid, EntityRecord> byUid;

  private EntityHierarchy(Map<EntityUid, EntityRecord> byUid) {
    this.byUid = Collections.unmodifiableMap(byUid);
  }

  /** Builds the graph, reporting with each entity's own span. */
  public static EntityHierarchy build(List<EntityRecord> records, List<Diagnostic> out) {
    return build(records, (r, path) -> r.span(), out);
  }

  /**
   * Builds the graph; {@code locate} gives the span of a JSON path of a record (e.g. of
   * {@code $[3].parents[0]}) for diagnostics. The first definition of a duplicated uid wins.
   */
  public static EntityHierarchy build(List<EntityRecord> records, BiFunction<EntityRecord, String, Span> locate,
      List<Diagnostic> out) {
    Map<EntityUid, EntityRecord> byUid = new HashMap<>();
    for (EntityRecord r : records) {
      EntityRecord first = byUid.putIfAbsent(r.uid(), r);
      if (first != null) {
        out.add(Diagnostic.of(Code.DATA_DUPLICATE, locate.apply(r, r.jsonPath() + ".uid"),
                "`" + r.uid() + "` is defined twice", "merge the two definitions into one")
            .withJsonPath(r.jsonPath() + ".uid")
            .withRelated(locate.apply(first, first.jsonPath() + ".uid"), "first defined here"));
      }
    }
    EntityHierarchy h = new EntityHierarchy(byUid);
    h.walk(records, locate, out);
    return h;
  }

  public Optional<EntityRecord> get(EntityUid uid) {
    return Optional.ofNullable(byUid.get(uid));
  }

  public int size() {
    return byUid.size();
  }

  /** Every entity {@code uid} is in, directly or through parents; not {@code uid} itself. */
  public Set<EntityUid> ancestors(EntityUid uid) {
    Set<EntityUid> seen = new LinkedHashSet<>();
    ArrayDeque<EntityUid> todo = new ArrayDeque<>();
    todo.add(uid);
    while (!todo.isEmpty()) {
      EntityRecord r = byUid.get(todo.poll());
      if (r == null) {
        continue;
      }
      for (EntityUid p : r.parents()) {
        if (!p.equals(uid) && seen.add(p)) {
          todo.add(p);
        }
      }
    }
    return Collections.unmodifiableSet(seen);
  }

  /** One depth-first walk: every cycle once (at the link that closes it) and the deepest chain. */
  private void walk(List<EntityRecord> records, BiFunction<EntityRecord, String, Span> locate, List<Diagnostic> out) {
    Map<EntityUid, Integer> state = new HashMap<>(); // absent: unseen, 1: on the path, 2: done
    Map<EntityUid, Integer> height = new HashMap<>();
    Map<EntityUid, Integer> next = new HashMap<>();
    List<EntityUid> stack = new ArrayList<>();
    Map<EntityUid, Integer> position = new HashMap<>();
    EntityRecord deepest = null;
    int deepestHeight = 0;
    for (EntityRecord root : records) {
      if (state.containsKey(root.uid()) || byUid.get(root.uid()) != root) {
        continue;
      }
      state.put(root.uid(), 1);
      position.put(root.uid(), 0);
      stack.add(root.uid());
      while (!stack.isEmpty()) {
        EntityUid v = stack.get(stack.size() - 1);
        EntityRecord rv = byUid.get(v);
        int i = next.getOrDefault(v, 0);
        if (i < rv.parents().size()) {
          next.put(v, i + 1);
          EntityUid p = rv.parents().get(i);
          Integer s = state.get(p);
          if (!byUid.containsKey(p)) {
            height.merge(v, 1, Math::max);
          } else if (s == null) {
            state.put(p, 1);
            position.put(p, stack.size());
            stack.add(p);
          } else if (s == 1) {
            String link = rv.jsonPath() + ".parents[" + i + "]";
            List<EntityUid> cycle = new ArrayList<>(stack.subList(position.get(p), stack.size()));
            cycle.add(p);
            out.add(Diagnostic.of(Code.DATA_CYCLE, locate.apply(rv, link), "cycle in the entity hierarchy: "
                    + String.join(" -> ", cycle.stream().map(u -> "`" + u + "`").toList()),
                "remove one of these parent links").withJsonPath(link));
          } else {
            height.merge(v, 1 + height.getOrDefault(p, 0), Math::max);
          }
        } else {
          state.put(v, 2);
          stack.remove(stack.size() - 1);
          int hv = height.getOrDefault(v, 0);
          if (hv > deepestHeight) {
            deepestHeight = hv;
            deepest = rv;
          }
          if (!stack.isEmpty()) {
            height.merge(stack.get(stack.size() - 1), 1 + hv, Math::max);
          }
        }
      }
    }
    if (deepestHeight > MAX_DEPTH) {
      out.add(Diagnostic.of(Code.DATA_TOO_DEEP, locate.apply(deepest, deepest.jsonPath() + ".uid"),
              "`" + deepest.uid() + "` is " + deepestHeight + " parent links below the top of its hierarchy, more than "
                  + MAX_DEPTH, "flatten the hierarchy: link the entity to a higher ancestor directly")
          .withJsonPath(deepest.jsonPath() + ".uid"));
    }
  }
}
