package dev.verdict.server.entities;

import dev.verdict.engine.EntitySource;
import dev.verdict.lang.data.EntityUid;
import dev.verdict.lang.eval.EntityData;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
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
      if (c instanceof EntityChange.Put p) {
        byUid.put(p.uid(), new Entry(p.data(), p.bytes()));
        sorted.put(p.uid(), Boolean.TRUE);
      } else {
        byUid.remove(c.uid());
        sorted.remove(c.uid());
      }
    }
    bytes += delta;
    revision = rev > 0 ? rev : revision + 1;
    release();
    return revision;
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
