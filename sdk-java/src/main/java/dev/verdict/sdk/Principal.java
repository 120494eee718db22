package dev.verdict.sdk;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Who asks: {@code Principal.of("alice").roles("customer").attr("tenant", "bank1")}. Immutable;
 * every method returns a new principal. The type is {@code User} unless {@link #type} says
 * otherwise. Attribute values are anything Jackson can write (strings, numbers, booleans,
 * collections, maps, records).
 */
public final class Principal {
  private final Entity entity;
  /** The native JSON text, made once: it is the cache key's largest part. */
  private volatile String key;
  /** This entity as the engine reads it, for the value types it was read with (see {@link EngineValues}). */
  volatile EngineValues.Memo engineForm;
  private final List<String> roles;

  private Principal(Entity entity, List<String> roles) {
    this.entity = entity;
    this.roles = roles;
  }

  public static Principal of(String id) {
    return new Principal(Entity.of("User", id), null);
  }

  /** The same principal of another policy type ({@code Service}). */
  public Principal type(String type) {
    return new Principal(entity.withType(type), roles);
  }

  /** The same principal with these roles (replacing any given before). */
  public Principal roles(String... roles) {
    for (String r : roles) {
      Objects.requireNonNull(r, "a role is null");
    }
    return new Principal(entity, List.of(roles));
  }

  public Principal roles(List<String> roles) {
    return roles(roles.toArray(String[]::new));
  }

  /** The same principal with an attribute set. */
  public Principal attr(String name, Object value) {
    if (name.equals("roles")) {
      throw new IllegalArgumentException("set roles with roles(...), not attr(\"roles\", ...)");
    }
    return new Principal(entity.withAttr(name, value), roles);
  }

  /** The same principal with a parent entity ({@code Group "eng"}). */
  public Principal parent(String type, String id) {
    return new Principal(entity.withParent(type, id), roles);
  }

  public String type() {
    return entity.type();
  }

  public String id() {
    return entity.id();
  }

  public List<String> roles() {
    return roles == null ? List.of() : roles;
  }

  public Map<String, Object> attrs() {
    return entity.attrs();
  }

  /** The native API's shape: {@code {"type", "id", "roles", …attributes, "parents"}}. */
  /** {@link #toNative()} as text, computed once (instances are immutable). */
  String key() {
    String k = key;
    if (k == null) {
      k = toNative().toString();
      key = k;
    }
    return k;
  }

  ObjectNode toNative() {
    ObjectNode n = entity.toNative();
    putRoles(n);
    return n;
  }

  /** The AuthZEN shape: {@code {"type", "id", "properties": {roles, …attributes, parents}}}. */
  ObjectNode toAuthZen() {
    ObjectNode n = entity.toAuthZen();
    putRoles((ObjectNode) n.get("properties"));
    return n;
  }

  Entity entity() {
    return entity;
  }

  /** The roles given, or null when none were. */
  List<String> roleList() {
    return roles;
  }

  private void putRoles(ObjectNode into) {
    if (roles != null) {
      ArrayNode a = into.putArray("roles");
      roles.forEach(a::add);
    }
  }

  @Override
  public String toString() {
    return "Principal " + entity.type() + " \"" + entity.id() + "\"";
  }
}
