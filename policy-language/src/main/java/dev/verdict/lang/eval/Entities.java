package dev.verdict.lang.eval;

import dev.verdict.lang.data.EntityUid;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;

/**
 * The entity data a policy set was loaded with, read-only: what query plans and resource search
 * read besides decisions. Immutable; the same data {@code in} and attribute reads see.
 */
public interface Entities {
  /** The entity {@code uid}, or null when the data has none. */
  EntityData get(EntityUid uid);

  /** Every ancestor of {@code uid} (parents, their parents, …); empty when it has none or is unknown. */
  Set<EntityUid> ancestors(EntityUid uid);

  /** The entities of {@code type}, sorted by id (empty when none). */
  List<EntityData> ofType(String type);

  /**
   * The entities of {@code type} whose own attribute {@code name} equals {@code value}, sorted by
   * id: what a resource search narrows to before it runs the rest of a plan's filter, instead of
   * reading every entity of the type. This default reads them all; the data files' entities keep
   * an index per (type, attribute) asked about, built on first use.
   */
  default List<EntityData> ofTypeWhere(String type, String name, Value value) {
    List<EntityData> out = new java.util.ArrayList<>();
    for (EntityData e : ofType(type)) {
      if (value.equals(e.attrs().get(name))) {
        out.add(e);
      }
    }
    return out;
  }

  /** The types that have entities, sorted. */
  SortedSet<String> types();

  /** How many entities there are. */
  int size();
}
