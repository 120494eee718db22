package dev.verdict.sdk;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * What is asked about: {@code Resource.of("Account", "A-1001").attr("owner", "alice")}.
 * Immutable; every method returns a new resource. Attributes the policy set's data files hold
 * need not be given: the decision point reads them.
 */
public final class Resource {
  private final Entity entity;
  /** The native JSON text, made once: it is the cache key's largest part. */
  private volatile String key;
  /** This entity as the engine reads it, for the value types it was read with (see {@link EngineValues}). */
  volatile EngineValues.Memo engineForm;

  private Resource(Entity entity) {
    this.entity = entity;
  }

  public static Resource of(String type, String id) {
    return new Resource(Entity.of(type, id));
  }

  /** The same resource with an attribute set. */
  public Resource attr(String name, Object value) {
    return new Resource(entity.withAttr(name, value));
  }

  /** The same resource with a parent entity ({@code Branch "b-leeds"}). */
  public Resource parent(String type, String id) {
    return new Resource(entity.withParent(type, id));
  }

  public String type() {
    return entity.type();
  }

  public String id() {
    return entity.id();
  }

  public Map<String, Object> attrs() {
    return entity.attrs();
  }

  /** {@link #toNative()} as text, computed once (instances are immutable). */
  String key() {
    String k = key;
    if (k == null) {
      k = toNative().toString();
      key = k;
    }
    return k;
  }

  Entity entity() {
    return entity;
  }

  ObjectNode toNative() {
    return entity.toNative();
  }

  ObjectNode toAuthZen() {
    return entity.toAuthZen();
  }

  @Override
  public String toString() {
    return "Resource " + entity.type() + " \"" + entity.id() + "\"";
  }
}
