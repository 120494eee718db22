package dev.verdict.lang.eval;

import dev.verdict.lang.data.EntityHierarchy;
import dev.verdict.lang.data.EntityUid;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The entities of a policy set's data files, with every entity's ancestors computed once at
 * load so that {@code in} is a set lookup. Immutable.
 */
final class EntityGraph implements Entities {
  /** Longest chain of parents followed; deeper hierarchies are refused (by {@link EntityHierarchy}). */
  static final int MAX_DEPTH = EntityHierarchy.MAX_DEPTH;

  static final EntityGraph EMPTY = new EntityGraph(Map.of(), Map.of());

  private final Map<EntityUid, EntityData> entities;
  private final Map<EntityUid, Set<EntityUid>> ancestors;

  /** Per type, its entities sorted by id: what a resource search pages through. */
  private final Map<String, List<EntityData>> byType;

  /** No data files: every lookup of a decision answers at once, without hashing its uid. */
  private final boolean empty;

  private EntityGraph(Map<EntityUid, EntityData> entities, Map<EntityUid, Set<EntityUid>> ancestors) {
    this.entities = entities;
    this.empty = entities.isEmpty();
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
  @Override
  public List<EntityData> ofType(String type) {
    return byType.getOrDefault(type, List.of());
  }

  /**
   * Per type and attribute, the entities by value, each list in id order; built when a search
   * first filters on the attribute. At most one per attribute the schema declares, each a map
   * entry and a list slot per entity of the type.
   */
  private final Map<String, Map<Value, List<EntityData>>> indexes = new java.util.concurrent.ConcurrentHashMap<>();

  @Override
  public List<EntityData> ofTypeWhere(String type, String name, Value value) {
    List<EntityData> all = byType.get(type);
    if (all == null) {
      return List.of();
    }
    Map<Value, List<EntityData>> index = indexes.computeIfAbsent(type + '\u0000' + name, k -> {
      Map<Value, List<EntityData>> m = new HashMap<>();
      for (EntityData e : all) {
        Value v = e.attrs().get(name);
        if (v != null) {
          m.computeIfAbsent(v, x -> new ArrayList<>(2)).add(e);
        }
      }
      m.replaceAll((v, list) -> List.copyOf(list));
      return m;
    });
    return index.getOrDefault(value, List.of());
  }

  /** The types that have entities, sorted. */
  @Override
  public java.util.SortedSet<String> types() {
    return java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(byType.keySet()));
  }

  /**
   * The entities with their ancestors as {@code hierarchy} (built from the same records, which
   * reported any duplicate, cycle or too deep a chain) computes them; the first definition of
   * a uid wins, as in the hierarchy.
   */
  static EntityGraph of(List<EntityData> data, EntityHierarchy hierarchy) {
    Map<EntityUid, EntityData> byUid = new HashMap<>();
    Map<EntityUid, Set<EntityUid>> anc = new HashMap<>();
    for (EntityData d : data) {
      if (byUid.putIfAbsent(d.uid(), d) == null) {
        anc.put(d.uid(), hierarchy.ancestors(d.uid()));
      }
    }
    // HashMap, not Map.copyOf: entity ids are often sequential (u1, u2, …), which defeats the
    // linear probing of the immutable maps (see PolicySet.lookup).
    return new EntityGraph(PolicySet.lookup(byUid), PolicySet.lookup(anc));
  }

  /** Entities without parents (a benchmark's or test's generated data): no hierarchy to compute. */
  static EntityGraph flat(List<EntityData> data) {
    Map<EntityUid, EntityData> byUid = new HashMap<>();
    for (EntityData d : data) {
      if (!d.parents().isEmpty()) {
        throw new IllegalArgumentException(d.uid() + " has parents; load entities with parents from data files");
      }
      byUid.putIfAbsent(d.uid(), d);
    }
    return new EntityGraph(PolicySet.lookup(byUid), Map.of());
  }

  @Override
  public EntityData get(EntityUid uid) {
    return empty ? null : entities.get(uid);
  }

  /** Strict ancestors of {@code uid} known to the data files (empty when unknown). */
  @Override
  public Set<EntityUid> ancestors(EntityUid uid) {
    Set<EntityUid> a = ancestors.get(uid);
    return a == null ? Set.of() : a;
  }

  @Override
  public int size() {
    return entities.size();
  }
}
