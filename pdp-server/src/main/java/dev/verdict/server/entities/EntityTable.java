package dev.verdict.server.entities;

import dev.verdict.engine.EntitySource;
import dev.verdict.lang.data.EntityUid;
import dev.verdict.lang.eval.EntityData;
import dev.verdict.lang.eval.Value;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.function.Consumer;

/**
 * One node's copy of the entity store: records by uid (what decisions read, lock-free), a
 * sorted index for listing and export, the revision it holds and who waits for a later one.
 * Writes are serialised; each is applied whole or not at all.
 */
final class EntityTable implements EntitySource {
  /** Past this many callers waiting for a revision, another one is refused rather than queued. */
  static final int MAX_WAITERS = 10_000;

  private record Entry(EntityData data, long bytes) {}

  private record Waiter(long revision, CompletableFuture<Void> done) {}

  private final ConcurrentHashMap<EntityUid, Entry> byUid = new ConcurrentHashMap<>();
  private final ConcurrentSkipListMap<EntityUid, Boolean> sorted = new ConcurrentSkipListMap<>();
  /**
   * Per (type, attribute) a resource search has filtered on, the ids of the records by value, in
   * id order: built on first use, then kept up to date by every write. At most one per attribute
   * the schema declares, each an entry per record of the type that has the attribute, so its size
   * follows the records' (which the bound limits); not counted in {@link #bytes}, which every
   * member must count alike while each builds its own indexes when asked.
   */
  private final ConcurrentHashMap<String, ConcurrentHashMap<Value, ConcurrentSkipListSet<String>>> indexes =
      new ConcurrentHashMap<>();
  private final PriorityBlockingQueue<Waiter> waiters =
      new PriorityBlockingQueue<>(16, (a, b) -> Long.compare(a.revision(), b.revision()));
  private final long maxBytes;
  private volatile long revision;
  private volatile long bytes;
  private final String name;

  EntityTable(long maxBytes, String name) {
    this.maxBytes = maxBytes;
    this.name = name;
  }

  @Override
  public EntityData find(EntityUid uid) {
    Entry e = byUid.get(uid);
    return e == null ? null : e.data();
  }

  @Override
  public boolean isEmpty() {
    return byUid.isEmpty();
  }

  @Override
  public String cacheTag() {
    return name + revision;
  }

  /**
   * Applies {@code changes} as revision {@code rev} (the next one when 0), all or nothing.
   *
   * @return the revision applied
   * @throws StoreFull when the records would take the table past its bound
   */
  synchronized long apply(List<EntityChange> changes, long rev) {
    long delta = 0;
    Map<EntityUid, Long> seen = new java.util.HashMap<>();
    for (EntityChange c : changes) {
      Long before = seen.containsKey(c.uid()) ? seen.get(c.uid()) : weight(byUid.get(c.uid()));
      long after = c instanceof EntityChange.Put p ? p.bytes() : 0;
      delta += after - before;
      seen.put(c.uid(), after);
    }
    if (delta > 0 && bytes + delta > maxBytes) {
      throw new StoreFull(delta, bytes, maxBytes);
    }
    for (EntityChange c : changes) {
      Entry before;
      if (c instanceof EntityChange.Put p) {
        before = byUid.put(p.uid(), new Entry(p.data(), p.bytes()));
        sorted.put(p.uid(), Boolean.TRUE);
      } else {
        before = byUid.remove(c.uid());
        sorted.remove(c.uid());
      }
      if (!indexes.isEmpty()) {
        reindex(c.uid(), before == null ? null : before.data(), c instanceof EntityChange.Put p ? p.data() : null);
      }
    }
    bytes += delta;
    revision = rev > 0 ? rev : revision + 1;
    release();
    return revision;
  }

  /**
   * Replaces every record by {@code records}, the store as it stood at revision {@code rev} (a
   * snapshot), and takes that revision.
   *
   * @throws StoreFull when the records do not fit this table's bound (nothing is replaced)
   */
  synchronized void replace(List<EntityChange.Put> records, long rev) {
    long total = 0;
    Map<EntityUid, EntityChange.Put> now = new java.util.HashMap<>();
    for (EntityChange.Put p : records) {
      EntityChange.Put was = now.put(p.uid(), p);
      total += p.bytes() - (was == null ? 0 : was.bytes());
    }
    if (total > maxBytes) {
      throw new StoreFull("the cluster's entity snapshot of revision " + rev + " needs " + total
          + " bytes, more than this member's bound of " + maxBytes + "; give every member the same "
          + "VERDICT_ENTITY_STORE_BYTES");
    }
    for (EntityUid u : List.copyOf(byUid.keySet())) {
      if (!now.containsKey(u)) {
        Entry before = byUid.remove(u);
        sorted.remove(u);
        if (!indexes.isEmpty()) {
          reindex(u, before == null ? null : before.data(), null);
        }
      }
    }
    for (EntityChange.Put p : now.values()) {
      Entry before = byUid.put(p.uid(), new Entry(p.data(), p.bytes()));
      sorted.put(p.uid(), Boolean.TRUE);
      if (!indexes.isEmpty()) {
        reindex(p.uid(), before == null ? null : before.data(), p.data());
      }
    }
    bytes = total;
    revision = Math.max(revision, rev);
    release();
  }

  /** Takes the revision without a change (a write another node refused still counts in the order). */
  synchronized void skip(long rev) {
    revision = Math.max(revision, rev);
    release();
  }

  private static long weight(Entry e) {
    return e == null ? 0 : e.bytes();
  }

  private void release() {
    Waiter w;
    while ((w = waiters.peek()) != null && w.revision() <= revision) {
      waiters.remove(w);
      w.done().complete(null);
    }
  }

  long revision() {
    return revision;
  }

  CompletionStage<Void> reached(long wanted) {
    if (wanted <= revision) {
      return CompletableFuture.completedFuture(null);
    }
    if (waiters.size() >= MAX_WAITERS) {
      return CompletableFuture.failedFuture(new IllegalStateException("too many requests wait for a revision"));
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    waiters.add(new Waiter(wanted, done));
    synchronized (this) {
      release();
    }
    return done;
  }

  /** Forgets a waiter that gave up (timed out), so that waiting callers stay bounded. */
  void forget(CompletionStage<Void> stage) {
    waiters.removeIf(w -> w.done() == stage);
  }

  List<EntityData> list(String type, String afterId, int limit) {
    EntityUid from = new EntityUid(type, afterId == null ? "" : afterId);
    List<EntityData> out = new ArrayList<>(Math.min(limit, 1000));
    Iterator<EntityUid> it = sorted.tailMap(from, afterId == null).keySet().iterator();
    while (it.hasNext() && out.size() < limit) {
      EntityUid u = it.next();
      if (!u.type().equals(type)) {
        break;
      }
      Entry e = byUid.get(u);
      if (e != null) {
        out.add(e.data());
      }
    }
    return out;
  }

  void forEach(Consumer<EntityData> each) {
    for (EntityUid u : sorted.keySet()) {
      Entry e = byUid.get(u);
      if (e != null) {
        each.accept(e.data());
      }
    }
  }

  /** Moves {@code uid} in every index of its type from its old record's values to its new one's. */
  private void reindex(EntityUid uid, EntityData before, EntityData after) {
    String prefix = uid.type() + '\u0000';
    indexes.forEach((key, index) -> {
      if (!key.startsWith(prefix)) {
        return;
      }
      String name = key.substring(prefix.length());
      Value old = before == null ? null : before.attrs().get(name);
      Value now = after == null ? null : after.attrs().get(name);
      if (old != null && !old.equals(now)) {
        index.computeIfPresent(old, (v, ids) -> {
          ids.remove(uid.id());
          return ids.isEmpty() ? null : ids;
        });
      }
      if (now != null) {
        index.computeIfAbsent(now, v -> new ConcurrentSkipListSet<>()).add(uid.id());
      }
    });
  }

  /**
   * The ids of the records of {@code type} whose attribute {@code name} equals {@code value}, in
   * id order (a live view: a write after this call may show in it).
   */
  java.util.NavigableSet<String> idsWhere(String type, String name, Value value) {
    String key = type + '\u0000' + name;
    ConcurrentHashMap<Value, ConcurrentSkipListSet<String>> index = indexes.get(key);
    if (index == null) {
      synchronized (this) { // no write between the scan and the index taking over
        index = indexes.computeIfAbsent(key, k -> {
          ConcurrentHashMap<Value, ConcurrentSkipListSet<String>> m = new ConcurrentHashMap<>();
          for (EntityUid u : sorted.tailMap(new EntityUid(type, ""), true).keySet()) {
            if (!u.type().equals(type)) {
              break;
            }
            Entry e = byUid.get(u);
            Value v = e == null ? null : e.data().attrs().get(name);
            if (v != null) {
              m.computeIfAbsent(v, x -> new ConcurrentSkipListSet<>()).add(u.id());
            }
          }
          return m;
        });
      }
    }
    ConcurrentSkipListSet<String> ids = index.get(value);
    return ids == null ? java.util.Collections.emptyNavigableSet() : ids;
  }

  /** The types that have records, sorted: one step of the sorted index per type. */
  java.util.SortedSet<String> types() {
    java.util.TreeSet<String> out = new java.util.TreeSet<>();
    EntityUid u = sorted.isEmpty() ? null : sorted.firstKey();
    while (u != null) {
      out.add(u.type());
      u = sorted.ceilingKey(new EntityUid(u.type() + '\u0000', ""));
    }
    return out;
  }

  /** The ids of the records of {@code type}, in order (a live view). */
  java.util.NavigableSet<EntityUid> uidsOf(String type) {
    return sorted.subMap(new EntityUid(type, ""), true, new EntityUid(type + '\u0000', ""), false).navigableKeySet();
  }

  long bytes() {
    return bytes;
  }

  long maxBytes() {
    return maxBytes;
  }

  int size() {
    return byUid.size();
  }
}
