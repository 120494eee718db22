package dev.verdict.lang.data;

import dev.verdict.lang.syntax.Literals;
import java.util.Objects;

/** The identity of an entity: its type and id, written {@code Group::"eng"}. */
public record EntityUid(String type, String id) implements Comparable<EntityUid> {
  public EntityUid {
    Objects.requireNonNull(type, "type is null");
    Objects.requireNonNull(id, "id is null");
  }

  // Written out, as the record's own would compute them (31 × type + id): the generated methods
  // go through method handles that the JIT did not always inline on the decision path.
  @Override
  public boolean equals(Object o) {
    return o == this || o instanceof EntityUid u && u.type.equals(type) && u.id.equals(id);
  }

  @Override
  public int hashCode() {
    return 31 * type.hashCode() + id.hashCode();
  }

  @Override
  public int compareTo(EntityUid o) {
    int c = type.compareTo(o.type);
    return c != 0 ? c : id.compareTo(o.id);
  }

  /** As in a policy: {@code Group::"eng"}. */
  @Override
  public String toString() {
    return type + "::" + Literals.quote(id);
  }
}
