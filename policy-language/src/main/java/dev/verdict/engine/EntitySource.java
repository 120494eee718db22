package dev.verdict.engine;

import dev.verdict.lang.data.EntityUid;
import dev.verdict.lang.eval.EntityData;

/**
 * Entity data kept beside the engine and changed at runtime (the server's entity store): what
 * a decision reads for an entity the request does not carry, before the policy set's data
 * files. Precedence, attribute by attribute: the request, then this source, then the data
 * files; an entity found here with parents replaces the data files' parents for every
 * {@code in} through it (with the same cycle and depth checks). Roles are the exception: an
 * entity's {@code roles} are the union of all three.
 *
 * <p>Implementations answer from memory (a local map, a near cache) on the deciding thread and
 * never block; one that cannot answer throws {@link Unavailable}, and the decision is a deny
 * that says so (fail closed).
 */
public interface EntitySource {
  /** No entities: decisions read the request and the data files only. */
  EntitySource NONE = new EntitySource() {
    @Override
    public EntityData find(EntityUid uid) {
      return null;
    }

    @Override
    public boolean isEmpty() {
      return true;
    }

    @Override
    public String cacheTag() {
      return "";
    }
  };

  /**
   * The entity {@code uid} as stored (parents stated), or null when the source has none.
   *
   * @throws Unavailable when the source cannot answer without blocking
   */
  EntityData find(EntityUid uid);

  /** Whether nothing is stored: then decisions do not consult the source at all. */
  boolean isEmpty();

  /**
   * What a cached decision that may read this source depends on, added to its cache key (a
   * revision: any write makes the older entries unreachable); null when such decisions must
   * not be cached at all. Only asked when the source is not {@link #isEmpty empty}.
   */
  String cacheTag();

  /** The source cannot answer from memory; the decision fails closed. */
  final class Unavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Unavailable(String message) {
      super(message);
    }
  }
}
