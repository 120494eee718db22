package dev.verdict.server.entities;

import com.hazelcast.core.HazelcastInstance;
import java.util.Optional;

/** Which entity store a server runs: the cluster's when it is in one, else this process's memory. */
public final class EntityStores {
  /** Default bound on the store's records, per node: 256 MiB. */
  public static final long DEFAULT_MAX_BYTES = 256L << 20;

  private EntityStores() {}

  /**
   * The bound in bytes: {@code VERDICT_ENTITY_STORE_BYTES} (environment) or the
   * {@code verdict.entity.store.bytes} system property, else {@link #DEFAULT_MAX_BYTES}.
   */
  public static long maxBytes() {
    String v = System.getProperty("verdict.entity.store.bytes", System.getenv("VERDICT_ENTITY_STORE_BYTES"));
    if (v == null || v.isBlank()) {
      return DEFAULT_MAX_BYTES;
    }
    try {
      long n = Long.parseLong(v.strip());
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("VERDICT_ENTITY_STORE_BYTES must be a positive number of bytes, not `" + v + "`");
  }

  /** @param set the policy set being served, whose types records are read with */
  public static EntityStore create(Optional<HazelcastInstance> member, long maxBytes,
      java.util.function.Supplier<dev.verdict.lang.eval.PolicySet> set) {
    return member.<EntityStore>map(hz -> new ClusterEntityStore(hz, maxBytes, set))
        .orElseGet(() -> new LocalEntityStore(maxBytes));
  }
}
