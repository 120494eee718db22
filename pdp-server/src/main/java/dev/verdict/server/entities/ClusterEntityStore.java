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
 * holds, and "at least revision R" would need remote reads on the deciding thread. The cost of
 * the log: it is not compacted, so its capacity (in writes, {@link #LOG_CAPACITY}) bounds the
 * writes of a cluster's lifetime; past it writes are refused (507).
 */
public final class ClusterEntityStore implements EntityStore {
  static final String LOG = "verdict-entity-log";
  /** Writes the log holds (each a record or an import batch); the writes of the cluster's lifetime. */
  static final int LOG_CAPACITY = Integer.getInteger("verdict.entity.log.capacity", 1_000_000);
  /** Refused revisions remembered, so that their writers can be told. */
  private static final int REMEMBERED_REFUSALS = 1024;
  private static final System.Logger LOGGER = System.getLogger("dev.verdict.entities");

  private static final com.fasterxml.jackson.databind.ObjectMapper READER = new com.fasterxml.jackson.databind.ObjectMapper()
      .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private final Ringbuffer<String> log;
  private final EntityTable table;
  private final Supplier<PolicySet> set;
  private final Map<Long, String> refused = java.util.Collections.synchronizedMap(new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, String> e) {
      return size() > REMEMBERED_REFUSALS;
    }
  });
  private volatile boolean closed;

  public static void configure(Config c) {
    c.addRingBufferConfig(new RingbufferConfig(LOG).setCapacity(LOG_CAPACITY).setBackupCount(1)
        .setTimeToLiveSeconds(0));
  }

  ClusterEntityStore(HazelcastInstance hz, long maxBytes, Supplier<PolicySet> set) {
    this.log = hz.getRingbuffer(LOG);
    this.table = new EntityTable(maxBytes, "c");
    this.set = set;
  }

  @Override
  public void start() {
    follow(log.headSequence());
  }

  /** Reads the log from {@code next} on, applying each write in order, for as long as the store is open. */
  private void follow(long next) {
    if (closed) {
      return;
    }
    log.readManyAsync(next, 1, 100, null).whenComplete((ReadResultSet<String> rs, Throwable err) -> {
      if (err != null) {
        Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null
            ? err.getCause() : err;
        if (cause instanceof com.hazelcast.core.HazelcastInstanceNotActiveException) {
          closed = true; // the member is gone: nothing more to follow
          return;
        }
        if (!closed) {
          LOGGER.log(Level.WARNING, "entity store: reading the cluster's log failed, retrying: " + err);
          CompletableFuture.delayedExecutor(200, java.util.concurrent.TimeUnit.MILLISECONDS)
              .execute(() -> follow(next));
        }
        return;
      }
      for (int i = 0; i < rs.size(); i++) {
        apply(rs.getSequence(i), rs.get(i));
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

  @Override
  public EntitySource source() {
    return table;
  }

  @Override
  public dev.verdict.lang.eval.Entities over(dev.verdict.lang.eval.Entities files) {
    return new LayeredEntities(table, files);
  }

  @Override
  public Optional<EntityData> get(EntityUid uid) {
    return Optional.ofNullable(table.find(uid));
  }

  @Override
  public List<EntityData> list(String type, String afterId, int limit) {
    return table.list(type, afterId, limit);
  }

  @Override
  public void forEach(Consumer<EntityData> each) {
    table.forEach(each);
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
    return log.addAsync(encode(changes), OverflowPolicy.FAIL).toCompletableFuture().thenCompose(seq -> {
      if (seq < 0) {
        return CompletableFuture.failedFuture(new StoreFull("the cluster's entity log is full (" + LOG_CAPACITY
            + " writes, -Dverdict.entity.log.capacity); it is not compacted: restart the cluster with the store "
            + "exported and imported again"));
      }
      long rev = seq + 1;
      return table.reached(rev).thenCompose(v -> {
        String why = refused.remove(rev);
        return why == null ? CompletableFuture.completedFuture(rev)
            : CompletableFuture.<Long>failedFuture(new StoreFull(delta, table.bytes(), table.maxBytes()));
      });
    });
  }

  @Override
  public long revision() {
    return table.revision();
  }

  @Override
  public CompletionStage<Void> reached(long revision) {
    return table.reached(revision);
  }

  @Override
  public void forget(CompletionStage<Void> stage) {
    table.forget(stage);
  }

  @Override
  public long bytes() {
    return table.bytes();
  }

  @Override
  public long maxBytes() {
    return table.maxBytes();
  }

  @Override
  public int size() {
    return table.size();
  }

  @Override
  public String kind() {
    return "cluster";
  }

  @Override
  public void close() {
    closed = true;
  }
}
