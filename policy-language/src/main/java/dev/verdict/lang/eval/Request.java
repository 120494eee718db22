package dev.verdict.lang.eval;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One question: may {@code principal} do {@code action} on {@code resource} in {@code context}.
 * {@code entities} carries the data of anything else the policies may read (groups, folders);
 * it takes precedence over the policy set's data files.
 */
public record Request(EntityData principal, EntityData resource, String action, Map<String, Value> context,
    List<EntityData> entities) {
  public Request {
    Objects.requireNonNull(principal, "principal is null");
    Objects.requireNonNull(resource, "resource is null");
    Objects.requireNonNull(action, "action is null");
    context = context instanceof AttributeMap ? context : Map.copyOf(context);
    entities = List.copyOf(entities);
  }

  /** The same request with a context attribute set (e.g. the server's {@code now}). */
  public Request withContext(String key, Value value) {
    return new Request(principal, resource, action, with(context, key, value), entities);
  }

  /**
   * {@code context} with {@code key} set, built as an immutable map at once: every decision
   * stamps {@code now} this way, and a copy through a {@code HashMap} would copy it twice.
   */
  private static Map<String, Value> with(Map<String, Value> context, String key, Value value) {
    if (context.isEmpty()) {
      return Map.of(key, value);
    }
    Object[] kv = new Object[context.size() * 2 + 2];
    int n = 0;
    for (Map.Entry<String, Value> e : context.entrySet()) {
      if (!e.getKey().equals(key)) {
        kv[n++] = e.getKey();
        kv[n++] = e.getValue();
      }
    }
    kv[n++] = key;
    kv[n++] = value;
    return AttributeMap.ofPairs(kv, 0, n);
  }

  /** The same request for another action (batch decisions share everything else). */
  public Request withAction(String other) {
    return new Request(principal, resource, other, context, entities);
  }
}
