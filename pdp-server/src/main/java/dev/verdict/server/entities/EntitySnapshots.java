package dev.verdict.server.entities;

import com.hazelcast.config.Config;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.MapConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.verdict.lang.eval.EntityData;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Snapshots of the cluster's entity store, so that its log can be overwritten: the records as
 * they stand at one revision, in an IMap as generations of NDJSON chunks plus one manifest
 * naming the published generation. A generation is written whole before its manifest is
 * published, and deleted only after a newer one is, so a reader that finds a manifest finds its
 * chunks (or, when a newer generation replaced it meanwhile, reads the newer one). At most two
 * generations exist at once, each the store's records as JSON: bounded by the store's bound.
 */
final class EntitySnapshots {
  static final String MAP = "verdict-entity-snapshots";
  private static final String MANIFEST = "manifest";
  /** Characters of records per chunk: one IMap entry, so that no entry is the whole store. */
  static final int CHUNK_CHARS = 1 << 20;

  /** A published generation: the records of revision {@code revision}, as NDJSON lines. */
  record Snapshot(long revision, List<String> lines) {}

  private record Manifest(long revision, int chunks) {}

  private final IMap<String, String> map;

  EntitySnapshots(HazelcastInstance hz) {
    this.map = hz.getMap(MAP);
  }

  static void configure(Config c) {
    c.addMapConfig(new MapConfig(MAP).setBackupCount(1).setInMemoryFormat(InMemoryFormat.BINARY));
  }

  /**
   * Writes {@code records} (the store at {@code revision}) as a generation and publishes it,
   * unless a generation of that revision or later is published already; then deletes the
   * generation it replaced.
   */
  void publish(long revision, List<EntityData> records) {
    List<String> chunks = chunks(records);
    for (int i = 0; i < chunks.size(); i++) {
      map.set(chunkKey(revision, i), chunks.get(i));
    }
    Optional<Manifest> before;
    map.lock(MANIFEST);
    try {
      before = manifest();
      if (before.isPresent() && before.get().revision() >= revision) {
        delete(new Manifest(revision, chunks.size()));
        return;
      }
      map.set(MANIFEST, revision + " " + chunks.size());
    } finally {
      map.unlock(MANIFEST);
    }
    before.ifPresent(this::delete);
  }

  /** The latest published generation, if any. */
  Optional<Snapshot> latest() {
    for (int attempt = 0; attempt < 5; attempt++) {
      Optional<Manifest> m = manifest();
      if (m.isEmpty()) {
        return Optional.empty();
      }
      List<String> lines = new ArrayList<>();
      boolean whole = true;
      for (int i = 0; i < m.get().chunks() && whole; i++) {
        String chunk = map.get(chunkKey(m.get().revision(), i));
        if (chunk == null) {
          whole = false; // replaced by a newer generation while it was read: read that one
        } else if (!chunk.isEmpty()) {
          lines.addAll(List.of(chunk.split("\n")));
        }
      }
      if (whole) {
        return Optional.of(new Snapshot(m.get().revision(), lines));
      }
    }
    return Optional.empty();
  }

  /** The revision of the published generation, 0 when there is none. */
  long publishedRevision() {
    return manifest().map(Manifest::revision).orElse(0L);
  }

  private Optional<Manifest> manifest() {
    String m = map.get(MANIFEST);
    if (m == null) {
      return Optional.empty();
    }
    String[] parts = m.split(" ");
    return Optional.of(new Manifest(Long.parseLong(parts[0]), Integer.parseInt(parts[1])));
  }

  private void delete(Manifest m) {
    for (int i = 0; i < m.chunks(); i++) {
      map.delete(chunkKey(m.revision(), i));
    }
  }

  private static String chunkKey(long revision, int i) {
    return revision + ":" + i;
  }

  private static List<String> chunks(List<EntityData> records) {
    List<String> out = new ArrayList<>();
    StringBuilder chunk = new StringBuilder();
    for (EntityData d : records) {
      String line = RecordCodec.write(d).toString();
      if (chunk.length() > 0 && chunk.length() + line.length() > CHUNK_CHARS) {
        out.add(chunk.toString());
        chunk.setLength(0);
      }
      chunk.append(line).append('\n');
    }
    out.add(chunk.toString()); // at least one chunk, empty for an empty store
    return out;
  }
}
