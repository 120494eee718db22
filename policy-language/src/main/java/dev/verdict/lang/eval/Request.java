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
    context = Map.copyOf(context);
    entities = List.copyOf(entities);
  }

  /** The same request with a context attribute set (e.g. the server's {@code now}). */
  public Request withContext(String key, Value value) {
    Map<String, Value> c = new java.util.HashMap<>(context);
    c.put(key, value);
    return new Request(principal, resource, action, c, entities);
  }

  /** The same request for another action (batch decisions share everything else). */
  public Request withAction(String other) {
    return new Request(principal, resource, other, context, entities);
  }
}
