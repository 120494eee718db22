package dev.verdict.server.entities;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hazelcast.config.Config;
import com.hazelcast.config.RingbufferConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.ringbuffer.OverflowPolicy;
import com.hazelcast.ringbuffer.ReadResultSet;
import com.hazelcast.ringbuffer.Ringbuffer;
import dev.verdict.engine.EntitySource;
import dev.verdict.lang.data.EntityUid;
import dev.verdict.lang.eval.EntityData;
import dev.verdict.lang.eval.PolicySet;
import dev.verdict.lang.eval.Values;
import dev.verdict.server.http.JsonCodec;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The entity store of a cluster: one ordered log of writes (a Hazelcast ringbuffer, kept on
 * its owner and one backup) that every member replays, in order, into its own
 * {@link EntityTable}. A write's revision is its place in the log (plus one), so every member
 * at revision R holds exactly the same records, decisions read them from local memory, and
 * "at least revision R" is a local wait. Every member applies the same writes in the same
 * order under the same bound, so all refuse the same write when it does not fit.
 *
 * <p>Why not an IMap with a near cache (DEPENDENCIES.md §2): its invalidations are
 * fire-and-forget and unordered across keys, so a member cannot tell which revision its copy
 * holds, and "at least revision R" would need remote reads on the deciding thread.
 *
 * <p>The log holds the last {@link #LOG_CAPACITY} writes (by default) and overwrites older ones. So that
 * nothing is lost with them, the oldest member writes a snapshot of its records
 * ({@link EntitySnapshots}) every half capacity of writes; a member that joins after the log
 * was overwritten, or falls behind its head, loads the latest snapshot and replays the log from
 * the snapshot's revision on. Revisions stay places in the log, so they mean the same before
 * and after a snapshot. A member with no usable snapshot is not ready ({@link #notReady}).
 */
public final class ClusterEntityStore extends TableStore {
  static final String LOG = "verdict-entity-log";
  /** Default writes the log holds (each a record or an import batch); older ones are in the latest snapshot. */
  static final int LOG_CAPACITY = 1_000_000;
  /** Refused revisions remembered, so that their writers can be told. */
  private static final int REMEMBERED_REFUSALS = 1024;
  private static final System.Logger LOGGER = System.getLogger("dev.verdict.entities");

  private static final com.fasterxml.jackson.databind.ObjectMapper READER = new com.fasterxml.jackson.databind.ObjectMapper()
      .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private final Ringbuffer<String> log;
  private final Supplier<PolicySet> set;
  private final Map<Long, String> refused = java.util.Collections.synchronizedMap(new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, String> e) {
      return size() > REMEMBERED_REFUSALS;
    }
  });
  private volatile boolean closed;
  private final HazelcastInstance hz;
  private final EntitySnapshots snapshots;
  /** Writes between two snapshots: half the log, so the log still holds every write after the last one. */
  private final long snapshotEvery;
  /** Writes read from the log at once (at most its capacity). */
  private final int batch;
  /** Snapshots and catching up run here, never on Hazelcast's threads nor an event loop. */
  private final java.util.concurrent.ExecutorService worker = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "verdict-entity-snapshots");
    t.setDaemon(true);
    return t;
  });
  /** Why this member's records are partial (null when they are not). */
  private volatile String behind;
  /** The revision of the last snapshot this member wrote or loaded. */
  private volatile long lastSnapshot;
  private final java.util.concurrent.atomic.AtomicBoolean snapshotting = new java.util.concurrent.atomic.AtomicBoolean();

  /** Configures the log of {@code -Dverdict.entity.log.capacity} writes ({@link #LOG_CAPACITY} by default) and the snapshots. */
  public static void configure(Config c) {
    configure(c, Integer.getInteger("verdict.entity.log.capacity", LOG_CAPACITY));
  }

  static void configure(Config c, int capacity) {
    // Overwrites the oldest write when full: what it held is in a snapshot by then.
    c.addRingBufferConfig(new RingbufferConfig(LOG).setCapacity(capacity).setBackupCount(1)
        .setTimeToLiveSeconds(0));
    EntitySnapshots.configure(c);
  }

  ClusterEntityStore(HazelcastInstance hz, long maxBytes, Supplier<PolicySet> set) {
    super(new EntityTable(maxBytes, "c"));
    this.hz = hz;
    this.log = hz.getRingbuffer(LOG);
    this.set = set;
    this.snapshots = new EntitySnapshots(hz);
    this.snapshotEvery = Math.max(1, log.capacity() / 2);
    this.batch = (int) Math.min(100, log.capacity());
  }

  @Override
  public void start() {
    if (log.headSequence() == 0) {
      follow(0); // nothing was overwritten yet: the log holds the whole history
    } else {
      catchUp(0);
    }
  }

  @Override
  public Optional<String> notReady() {
    return Optional.ofNullable(behind);
  }

  /**
   * This member needs sequence {@code next}, which the log no longer holds: loads the latest
   * snapshot when it covers the gap (it reaches the log's head), else stays not ready and tries
   * again once a second (the next snapshot may cover it).
   */
  private void catchUp(long next) {
    if (closed) {
      return;
    }
    if (behind == null) {
      behind = "the entity store is loading the cluster's snapshot (the log has moved past revision " + next + ")";
    }
    try {
      worker.execute(() -> loadOrWait(next));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closed meanwhile
    }
  }

  private void loadOrWait(long next) {
    String before = behind;
    try {
      long head = log.headSequence();
      if (next >= head) {
        behind = null;
        follow(next);
        return;
      }
      Optional<EntitySnapshots.Snapshot> s = snapshots.latest();
      if (s.isPresent() && s.get().revision() >= head && s.get().revision() >= next) {
        table.replace(read(s.get()), s.get().revision());
        lastSnapshot = s.get().revision();
        LOGGER.log(Level.INFO, "entity store: loaded the cluster's snapshot of revision " + s.get().revision()
            + " (" + s.get().lines().size() + " records)");
        behind = null;
        follow(s.get().revision());
        return;
      }
      behind = "the entity store is behind the cluster's log: it needs revision " + (next + 1)
          + ", the log starts at " + (head + 1) + " and no snapshot covers the gap"
          + s.map(x -> " (the latest is of revision " + x.revision() + ")").orElse("")
          + "; waiting for the next snapshot";
    } catch (RuntimeException e) {
      if (closed || e instanceof com.hazelcast.core.HazelcastInstanceNotActiveException) {
        return;
      }
      behind = "the entity store cannot load the cluster's snapshot: " + e.getMessage();
    }
    if (!behind.equals(before)) {
      LOGGER.log(Level.WARNING, behind); // once per state, not every second
    }
    CompletableFuture.delayedExecutor(1, java.util.concurrent.TimeUnit.SECONDS).execute(() -> catchUp(next));
  }

  /** The snapshot's records, read with the current set's types (a record it cannot read is left out, as a write would be). */
  private List<EntityChange.Put> read(EntitySnapshots.Snapshot s) {
    PolicySet current = set.get();
    List<EntityChange.Put> out = new ArrayList<>(s.lines().size());
    for (String line : s.lines()) {
      try {
        JsonNode r = READER.readTree(line);
        EntityUid uid = Values.uid(r.get("uid"), "$.uid");
        EntityData d = RecordCodec.read(r, uid, "$", current);
        out.add(new EntityChange.Put(d, RecordCodec.weight(d)));
      } catch (Exception e) {
        LOGGER.log(Level.WARNING, "entity store: a record of the snapshot of revision " + s.revision()
            + " is not loaded: " + e.getMessage());
      }
    }
    return out;
  }

  /**
   * On the oldest member, every {@link #snapshotEvery} writes: the records as they stand at
   * {@code rev} (collected here, on the log's reader, so no write is half in them), written out
   * on the worker.
   */
  private void maybeSnapshot(long rev) {
    if (rev - lastSnapshot < snapshotEvery || behind != null || !oldest()
        || !snapshotting.compareAndSet(false, true)) {
      return;
    }
    long previous = lastSnapshot;
    lastSnapshot = rev;
    List<EntityData> records = new ArrayList<>(table.size());
    table.forEach(records::add);
    CompletableFuture<Void> written;
    try {
      written = CompletableFuture.runAsync(() -> snapshots.publish(rev, records), worker);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      return; // closed meanwhile
    }
    written.whenComplete((v, err) -> {
      snapshotting.set(false);
      if (err != null && !closed) {
        LOGGER.log(Level.WARNING, "entity store: writing the snapshot of revision " + rev + " failed: " + err);
        lastSnapshot = previous; // the next write tries again
      }
    });
  }

  private static boolean stale(Throwable err) {
    for (Throwable t = err; t != null; t = t.getCause()) {
      if (t instanceof com.hazelcast.ringbuffer.StaleSequenceException) {
        return true;
      }
    }
    return false;
  }

  private boolean oldest() {
    try {
      return hz.getCluster().getMembers().iterator().next().localMember();
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Reads the log from {@code next} on, applying each write in order, for as long as the store is open. */
  private void follow(long next) {
    if (closed) {
      return;
    }
    log.readManyAsync(next, 1, batch, null).whenComplete((ReadResultSet<String> rs, Throwable err) -> {
      if (err != null) {
        Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null
            ? err.getCause() : err;
        if (cause instanceof com.hazelcast.core.HazelcastInstanceNotActiveException) {
          closed = true; // the member is gone: nothing more to follow
          return;
        }
        if (stale(err)) {
          catchUp(next); // overwritten before this member read it
          return;
        }
        if (!closed) {
          LOGGER.log(Level.WARNING, "entity store: reading the cluster's log failed, retrying: " + err);
          CompletableFuture.delayedExecutor(200, java.util.concurrent.TimeUnit.MILLISECONDS)
              .execute(() -> follow(next));
        }
        return;
      }
      if (rs.size() > 0 && rs.getSequence(0) != next) {
        catchUp(next); // the log skipped what it no longer holds
        return;
      }
      for (int i = 0; i < rs.size(); i++) {
        apply(rs.getSequence(i), rs.get(i));
        maybeSnapshot(rs.getSequence(i) + 1);
      }
      follow(rs.getNextSequenceToReadFrom());
    });
  }

  private void apply(long sequence, String payload) {
    long rev = sequence + 1;
    try {
      table.apply(decode(payload), rev);
    } catch (StoreFull e) {
      refused.put(rev, e.getMessage());
      table.skip(rev);
    } catch (RuntimeException e) {
      // a record the current set's types do not read (the set changed since it was written)
      LOGGER.log(Level.WARNING, "entity store: write " + rev + " is not applied: " + e.getMessage());
      refused.put(rev, e.getMessage());
      table.skip(rev);
    }
  }

  static String encode(List<EntityChange> changes) {
    ArrayNode a = JsonCodec.object().arrayNode();
    for (EntityChange c : changes) {
      ObjectNode o = a.addObject();
      if (c instanceof EntityChange.Put p) {
        o.set("put", RecordCodec.write(p.data()));
      } else {
        o.set("delete", RecordCodec.uid(c.uid()));
      }
    }
    return a.toString();
  }

  private List<EntityChange> decode(String payload) {
    try {
      JsonNode a = READER.readTree(payload);
      PolicySet s = set.get();
      List<EntityChange> out = new ArrayList<>(a.size());
      for (JsonNode o : a) {
        if (o.has("put")) {
          JsonNode r = o.get("put");
          EntityUid uid = Values.uid(r.get("uid"), "$.uid");
          EntityData d = RecordCodec.read(r, uid, "$", s);
          out.add(new EntityChange.Put(d, RecordCodec.weight(d)));
        } else {
          out.add(new EntityChange.Delete(Values.uid(o.get("delete"), "$.delete")));
        }
      }
      return out;
    } catch (Exception e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /**
   * Appends the write to the log and completes once this member has applied it: the revision,
   * or {@link StoreFull} when it did not fit (every member refuses it alike).
   */
  @Override
  public CompletionStage<Long> write(List<EntityChange> changes) {
    long sum = 0;
    for (EntityChange c : changes) {
      sum += c instanceof EntityChange.Put p ? p.bytes() : 0;
    }
    long delta = sum;
    if (delta > 0 && table.bytes() + delta > table.maxBytes()) {
      // refused before it takes a place in the log (it would be refused on replay anyway)
      return CompletableFuture.failedFuture(new StoreFull(delta, table.bytes(), table.maxBytes()));
    }
    return log.addAsync(encode(changes), OverflowPolicy.OVERWRITE).toCompletableFuture().thenCompose(seq -> {
      long rev = seq + 1;
      return table.reached(rev).thenCompose(v -> {
        String why = refused.remove(rev);
        return why == null ? CompletableFuture.completedFuture(rev)
            : CompletableFuture.<Long>failedFuture(new StoreFull(delta, table.bytes(), table.maxBytes()));
      });
    });
  }

  @Override
  public String kind() {
    return "cluster";
  }

  @Override
  public void close() {
    closed = true;
    worker.shutdownNow();
  }
}
