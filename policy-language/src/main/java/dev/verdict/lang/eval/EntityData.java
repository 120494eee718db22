package dev.verdict.lang.eval;

import dev.verdict.lang.data.EntityUid;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What is known of one entity: its attributes and its parents. {@code parentsGiven} tells
 * whether the parents were stated at all (a request that leaves them out keeps the parents
 * the policy set's data files know).
 */
public record EntityData(EntityUid uid, Map<String, Value> attrs, List<EntityUid> parents, boolean parentsGiven) {
  public EntityData {
    Objects.requireNonNull(uid, "uid is null");
    attrs = attrs instanceof AttributeMap ? attrs : Map.copyOf(attrs);
    parents = List.copyOf(parents);
  }

  public static EntityData of(EntityUid uid, Map<String, Value> attrs, List<EntityUid> parents) {
    return new EntityData(uid, attrs, parents, true);
  }
}
