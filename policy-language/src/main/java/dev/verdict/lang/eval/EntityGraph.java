package dev.verdict.lang.eval;

import dev.verdict.lang.source.Code;
import dev.verdict.lang.source.Diagnostic;
import dev.verdict.lang.source.Span;
import dev.verdict.lang.data.EntityUid;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The entities of a policy set's data files, with every entity's ancestors computed once at
 * load so that {@code in} is a set lookup. Immutable.
 */
public final class EntityGraph {
  /** Longest chain of parents followed; deeper hierarchies are refused. */
  public static final int MAX_DEPTH = 32;

  public static final EntityGraph EMPTY = new EntityGraph(Map.of(), Map.of());

  private final Map<EntityUid, EntityData> entities;
  private final Map<EntityUid, Set<EntityUid>> ancestors;

  /** Per type, its entities sorted by id: what a resource search pages through. */
  private final Map<String, List<EntityData>> byType;

  private EntityGraph(Map<EntityUid, EntityData> entities, Map<EntityUid, Set<EntityUid>> ancestors) {
    this.entities = entities;
    this.ancestors = ancestors;
    Map<String, List<EntityData>> types = new HashMap<>();
    for (EntityData d : entities.values()) {
      types.computeIfAbsent(d.uid().type(), k -> new ArrayList<>()).add(d);
    }
    Map<String, List<EntityData>> sorted = new HashMap<>();
    types.forEach((k, v) -> {
      v.sort(java.util.Comparator.comparing(d -> d.uid().id()));
      sorted.put(k, List.copyOf(v));
    });
    this.byType = sorted;
  }

  /** The entities of {@code type}, sorted by id (empty when none). */
  public List<EntityData> ofType(String type) {
    return byType.getOrDefault(type, List.of());
  }

  /** The types that have entities, sorted. */
  public java.util.SortedSet<String> types() {
    return java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(byType.keySet()));
  }

  /** The graph, or the problems that prevent it (cycles, too deep, duplicates). */
  public record Result(EntityGraph graph, List<Diagnostic> problems) {}

  /** Where the graph's problems are reported: entity data is the set's data files together. */
  private static final Span DATA = Span.ofFile("entity data");

  public static Result build(List<EntityData> data) {
    Map<EntityUid, EntityData> byUid = new HashMap<>();
    List<Diagnostic> problems = new ArrayList<>();
    for (EntityData d : data) {
      if (byUid.putIfAbsent(d.uid(), d) != null) {
        problems.add(Diagnostic.of(Code.BAD_JSON, DATA, "entity " + d.uid() + " is defined twice",
            "keep one record per entity across the data files"));
      }
    }
    Map<EntityUid, Set<EntityUid>> anc = new HashMap<>();
    for (EntityUid uid : byUid.keySet()) {
      ancestorsOf(uid, byUid, anc, new HashSet<>(), 0, problems);
    }
    if (!problems.isEmpty()) {
      return new Result(EMPTY, problems);
    }
    // HashMap, not Map.copyOf: entity ids are often sequential (u1, u2, …), which defeats the
    // linear probing of the immutable maps (see PolicySet.lookup).
    return new Result(new EntityGraph(PolicySet.lookup(byUid), PolicySet.lookup(anc)), List.of());
  }

  private static Set<EntityUid> ancestorsOf(EntityUid uid, Map<EntityUid, EntityData> byUid,
      Map<EntityUid, Set<EntityUid>> memo, Set<EntityUid> onPath, int depth, List<Diagnostic> problems) {
    Set<EntityUid> done = memo.get(uid);
    if (done != null) {
      return done;
    }
    if (depth > MAX_DEPTH) {
      problems.add(Diagnostic.of(Code.DATA_CYCLE, DATA, "entity hierarchy deeper than " + MAX_DEPTH + " levels at " + uid,
          "flatten the hierarchy"));
      return Set.of();
    }
    if (!onPath.add(uid)) {
      problems.add(Diagnostic.of(Code.DATA_CYCLE, DATA, "cycle in the entity hierarchy through " + uid,
          "an entity cannot be its own ancestor; remove one of the parents on the cycle"));
      return Set.of();
    }
    Set<EntityUid> out = new HashSet<>();
    EntityData d = byUid.get(uid);
    if (d != null) {
      for (EntityUid p : d.parents()) {
        out.add(p);
        out.addAll(ancestorsOf(p, byUid, memo, onPath, depth + 1, problems));
      }
    }
    onPath.remove(uid);
    Set<EntityUid> frozen = Collections.unmodifiableSet(out);
    memo.put(uid, frozen);
    return frozen;
  }

  public EntityData get(EntityUid uid) {
    return entities.get(uid);
  }

  /** Strict ancestors of {@code uid} known to the data files (empty when unknown). */
  public Set<EntityUid> ancestors(EntityUid uid) {
    Set<EntityUid> a = ancestors.get(uid);
    return a == null ? Set.of() : a;
  }

  public int size() {
    return entities.size();
  }
}
