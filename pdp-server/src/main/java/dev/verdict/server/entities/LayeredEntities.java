package dev.verdict.server.entities;

import dev.verdict.lang.data.EntityHierarchy;
import dev.verdict.lang.data.EntityUid;
import dev.verdict.lang.eval.Entities;
import dev.verdict.lang.eval.EntityData;
import dev.verdict.lang.eval.Value;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The policy set's data files with the store's records over them, as decisions see them: a
 * stored record replaces the data files' entity of the same uid whole (its attributes and its
 * parents); a record deleted from the store uncovers the data files' entity again. What plans'
 * filters and resource and subject search read, so that they find what decisions decide on.
 */
final class LayeredEntities implements Entities {
  private final EntityTable store;
  private final Entities files;

  LayeredEntities(EntityTable store, Entities files) {
    this.store = store;
    this.files = files;
  }

  @Override
  public EntityData get(EntityUid uid) {
    EntityData d = store.find(uid);
    return d != null ? d : files.get(uid);
  }

  /**
   * Ancestors through stored parents where a record is stored, the data files' elsewhere; a
   * chain is followed at most {@link EntityHierarchy#MAX_DEPTH} deep and each entity once (a
   * cycle the store's writes made ends there).
   */
  @Override
  public Set<EntityUid> ancestors(EntityUid uid) {
    if (store.isEmpty()) {
      return files.ancestors(uid);
    }
    Set<EntityUid> out = new LinkedHashSet<>();
    ArrayDeque<EntityUid> level = new ArrayDeque<>(parents(uid));
    for (int depth = 0; depth < EntityHierarchy.MAX_DEPTH && !level.isEmpty(); depth++) {
      ArrayDeque<EntityUid> next = new ArrayDeque<>();
      for (EntityUid p : level) {
        if (!p.equals(uid) && out.add(p)) {
          next.addAll(parents(p));
        }
      }
      level = next;
    }
    return out;
  }

  private List<EntityUid> parents(EntityUid uid) {
    EntityData d = get(uid);
    return d == null ? List.of() : d.parents();
  }

  @Override
  public List<EntityData> ofType(String type) {
    Set<EntityUid> stored = store.uidsOf(type);
    if (stored.isEmpty()) {
      return files.ofType(type);
    }
    return merge(type, stored.stream().map(EntityUid::id).toList(), files.ofType(type));
  }

  /** Through the store's index and the data files' own: neither reads every entity of the type. */
  @Override
  public List<EntityData> ofTypeWhere(String type, String name, Value value) {
    Collection<String> stored = store.idsWhere(type, name, value);
    List<EntityData> inFiles = files.ofTypeWhere(type, name, value);
    if (stored.isEmpty() && store.isEmpty()) {
      return inFiles;
    }
    return merge(type, stored, inFiles);
  }

  /**
   * The stored records with {@code storedIds} (in id order) and the data files' {@code inFiles}
   * (in id order) that no record covers, in id order.
   */
  private List<EntityData> merge(String type, Collection<String> storedIds, List<EntityData> inFiles) {
    List<EntityData> out = new ArrayList<>(storedIds.size() + inFiles.size());
    Iterator<String> s = storedIds.iterator();
    int f = 0;
    String nextStored = s.hasNext() ? s.next() : null;
    while (nextStored != null || f < inFiles.size()) {
      EntityData file = f < inFiles.size() ? inFiles.get(f) : null;
      if (file != null && store.find(file.uid()) != null) {
        f++; // covered by a record: the record is listed where its own values put it
        continue;
      }
      if (file == null || (nextStored != null && nextStored.compareTo(file.uid().id()) < 0)) {
        EntityData d = store.find(new EntityUid(type, nextStored));
        if (d != null) { // deleted since the index was read
          out.add(d);
        }
        nextStored = s.hasNext() ? s.next() : null;
      } else {
        out.add(file);
        f++;
      }
    }
    return out;
  }

  @Override
  public SortedSet<String> types() {
    TreeSet<String> all = new TreeSet<>(files.types());
    all.addAll(store.types());
    return java.util.Collections.unmodifiableSortedSet(all);
  }

  /** At most this many: a record that replaces a data file's entity is counted twice. */
  @Override
  public int size() {
    return files.size() + store.size();
  }
}
